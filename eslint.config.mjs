// ESLint 9 flat config: typescript-eslint's type-checked rules over the TypeScript sources
// (npm run lint; npm test runs it before the unit tests).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '.stryker-tmp/**',
      '.vscode-test/**',
      'test-results/**',
      // Sample code the eval and the E2E tests open as a user's workspace: data, not project code.
      'eval/workspaces/**',
      'test/fixtures/workspaces/**',
      // Plain JavaScript run by Node (build, E2E driver, webview script): not type-checked.
      '**/*.js',
      '**/*.mjs',
    ],
  },
  {
    files: ['src/**/*.ts', 'test/unit/**/*.ts', 'test/real/**/*.ts', 'test/fixtures/**/*.ts', 'test/vscode/**/*.ts', 'bench/**/*.ts', 'eval/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: an async function without await is how fakes and VS Code callbacks implement a
      // Promise-returning interface here; the promise bugs that matter are the two rules above.
      '@typescript-eslint/require-await': 'off',
      // Rethrowing whatever a stream failed with, unchanged, is deliberate.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `_name` marks a deliberately unused binding; `{ drop: _drop, ...rest }` removes a key.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A `let` assigned once, after a closure that reads it was created, cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests, the fake model server, the bench and the eval read arbitrary JSON (request bodies, fixture
    // files): `any` there is the honest type, and the assertions that follow are the checks.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'eval/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
