// ESLint 9 flat config: JavaScript's and typescript-eslint's recommended rules (syntax only: the
// type-aware set doubled the run's time and found little beyond `unbound-method` on destructured
// router methods) and React's hook rules. Formatting is Prettier's (`.prettierrc`), not ESLint's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node's globals, for the build scripts here and for tests/browser/eslint.config.js. */
export const nodeGlobals = { languageOptions: { globals: globals.node } };

export default tseslint.config(
  { ignores: ['dist', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: { globals: globals.browser },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // `const { secret: _secret, ...rest } = x` drops a field on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['scripts/**', 'vite.config.ts', 'eslint.config.js'],
    ...nodeGlobals,
  },
);
