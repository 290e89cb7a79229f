// Lint: floating promises, type-only imports, and no Node-only imports from the neutral core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeOnly = ['node:*', 'fs', 'path', 'crypto', 'net', 'http', 'https', 'os', 'child_process',
  'worker_threads', 'stream', 'events', 'bullmq', 'ioredis', 'mysql2', 'mysql2/*', 'ws', 'undici',
  '@hono/node-server'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.kraite/**', 'dist/**', 'coverage/**', 'test-artifacts/**', '.wrangler/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['core/**/*.ts', 'handlers/**/*.ts', 'edge/workers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: nodeOnly }] },
  },
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
