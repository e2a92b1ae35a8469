// Lint rules, including the folder rules of DESIGN.md: a file's folder says which runtime it may touch.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http',
  'http2', 'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'string_decoder',
  'timers', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const nodeBuiltinPatterns = [
  { group: ['node:*'], message: 'Node built-ins are not available here (see DESIGN.md, folder rules).' },
  ...NODE_BUILTINS.map((name) => ({
    group: [name, `${name}/*`],
    message: 'Node built-ins are not available here (see DESIGN.md, folder rules).',
  })),
];
const electronPattern = {
  group: ['electron', 'electron/*'],
  message: "Only src/main/electron/** and src/main/index.ts may import 'electron' (DESIGN.md).",
};
const nodeOnlyPackages = {
  group: ['ws', 'usb', 'ant-plus-next', '@garmin/fitsdk', 'tsx'],
  message: 'This package needs Node; keep it in src/main or src/broker.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'tests/lint-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronPattern, nodeOnlyPackages, ...nodeBuiltinPatterns, { group: ['react', 'react-dom', 'zustand', 'uplot'], message: 'src/shared is pure: no UI libraries.' }, { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/broker/**'], message: 'src/shared imports only src/shared.' }] },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronPattern, nodeOnlyPackages, ...nodeBuiltinPatterns, { group: ['**/main/**', '**/broker/**', '**/preload/**'], message: 'The renderer talks to the host only through the contract.' }] },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      // The preload may import electron (contextBridge, ipcRenderer) and src/shared, nothing else.
      'no-restricted-imports': ['error', { patterns: [...nodeBuiltinPatterns, nodeOnlyPackages, { group: ['**/main/**', '**/renderer/**', '**/broker/**'], message: 'The preload exposes the contract; nothing else.' }] }],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/broker/**/*.ts', 'src/client/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/index.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronPattern, { group: ['**/renderer/**', 'react', 'react-dom'], message: 'The host does not import UI code.' }] }],
    },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/main/index.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src/broker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronPattern, { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'The broker stands alone: it imports only src/shared and the client side in src/client.' }] }],
    },
  },
  {
    // the Node side of the Terra client, used by the host's uplinks and by the broker's consumer CLI
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [electronPattern, { group: ['**/main/**', '**/broker/**', '**/renderer/**', '**/preload/**'], message: 'src/client is shared by the host and the consumer: it imports only src/shared.' }] }],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}', '*.config.ts', '*.config.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
