// ESLint flat config: typescript-eslint type-aware rules (no-floating-promises matters for sockets and timers)
// and the house import boundaries: core imports nothing from server or web; web imports only core; routes never
// touch the database; only server/config.ts reads the environment.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.artifacts/**', 'coverage/**', 'scripts/**', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/web/**', 'node:*'], message: 'core/ is pure: no server, web or node imports' }] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'core/ reads no clock: take the time as an argument' }],
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', 'node:*'], message: 'web/ imports only core/' }] }],
    },
  },
  {
    files: ['server/**/*.routes.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/*.repository', '**/db/database', 'kysely'], message: 'routes call services, never the database' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/config.ts', 'server/test/**', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'only server/config.ts reads the environment' }],
    },
  },
);
