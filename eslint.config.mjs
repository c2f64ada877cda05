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
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  // CommonJS entry points (the npx bin, jest's config and reporter) load with require by design.
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
