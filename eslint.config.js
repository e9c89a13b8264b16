// One lint config for the three programs: typescript-eslint's strict rules everywhere, Vue's recommended rules for the
// extension's components. Formatting is Prettier's job (npm run format:check), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.output/**',
      '.wxt/**',
      '**/dist/**',
      'extension/e2e/fixtures/**',
      'extension/e2e/screenshots/**',
      'server/analysis/data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node, ...globals.webextensions },
    },
    rules: {
      // tsconfig's noUncheckedIndexedAccess types every a[i] as possibly undefined; in the DSP's and the tests' index
      // loops `a[i]!` is the honest way to say "in range", so the assertion is allowed.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // TypeScript itself reports undefined names (and knows DOM types such as RequestInit that ESLint's globals lack).
      'no-undef': 'off',
      // Icon is the one single-word component: an SVG icon by name, as in every icon library.
      'vue/multi-word-component-names': ['error', { ignores: ['Icon'] }],
      // Unused names are an error, except the ones a signature needs and marks as unused with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Prettier decides these.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
