// Lint: typescript-eslint with type information. Workflows and the domain may not touch Node builtins or the
// server-side Temporal packages: workflow code runs in a deterministic sandbox, and src/ is imported by it.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test/histories/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'workflows/ and src/ run in the deterministic workflow sandbox: no Node builtins',
            })),
            ...[
              '@temporalio/activity',
              '@temporalio/client',
              '@temporalio/worker',
              '@temporalio/testing',
              'pg',
              'nodemailer',
            ].map((name) => ({
              name,
              message: 'workflows/ and src/ orchestrate and decide; I/O belongs in activities/',
            })),
          ],
        },
      ],
    },
  },
  // SQL lives in db/: the API and the CLI reach Postgres through its repositories' named queries.
  {
    files: ['api/**/*.ts', 'cli/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in a db/ repository: add a named query there and call it',
        },
      ],
    },
  },
  // A route file calls services and repositories; what two resources share lives outside their route files.
  {
    files: ['api/**/routes.ts', 'api/**/*-routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/routes', '**/*-routes'], message: 'a route file never imports another' }] },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  // CommonJS entry points (the npx bin, jest's config and reporter) load with require by design.
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
