// Lints the web app (type-aware: typescript-eslint reads the code through tsconfig.json)
// and the browser tests. `npm run lint` runs it; scripts/test runs it after tsc.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The rules of hooks. (The plugin's React Compiler rules are left out: the app
      // does not use the compiler.)
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Y.Text has toString() at run time, but yjs's type declarations leave it out.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['YText'] }],
      // Event handlers may be async (a form's onSubmit awaits the API); React ignores
      // what they return.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
)
