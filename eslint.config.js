// Lint rules, including the dependency directions of docs/architecture.md §3: a wrong arrow between layers fails `npm run lint`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A relative import that reaches into one of the named layers under src/. */
const intoLayers = (layers, message) => ({
  regex: `^\\.{1,2}/(.*/)?(${layers.join('|')})(/|$)`,
  message,
});

/** Packages a layer must not know about. */
const packages = (names, message) => ({ group: names, message });

const layerRules = [
  {
    files: ['src/config/**/*.ts'],
    patterns: [intoLayers(['aws', 'status', 'graphql', 'server', 'emulator'], 'config/ imports nothing of ours.')],
  },
  {
    files: ['src/aws/**/*.ts'],
    patterns: [
      intoLayers(['status', 'graphql', 'server', 'emulator'], 'aws/ never imports status, graphql, server or emulator.'),
      packages(['graphql', 'graphql/*', 'type-graphql', 'dataloader', '@apollo/*', 'express', 'ws', 'graphql-ws'],
        'aws/ knows no GraphQL, DataLoader or HTTP server library.'),
    ],
  },
  {
    files: ['src/status/**/*.ts'],
    patterns: [
      intoLayers(['graphql', 'server', 'emulator', 'history'], 'status/ imports aws/ and dataloader, never graphql, server, emulator or history (it uses history through status/history-port.ts).'),
      packages(['graphql', 'graphql/*', 'type-graphql', '@apollo/*', 'express', 'ws', 'graphql-ws', 'kysely', 'pg', 'better-sqlite3'],
        'status/ is the domain: no GraphQL, server or database library.'),
    ],
  },
  {
    files: ['src/graphql/**/*.ts'],
    patterns: [
      intoLayers(['aws', 'server', 'emulator', 'history'], 'graphql/ reads status/ only; AWS details and history come through status/.'),
      packages(['@apollo/*', 'express', 'ws', 'graphql-ws', '@aws-sdk/*', '@smithy/*', 'kysely', 'pg', 'better-sqlite3'],
        'graphql/ knows no server library, no AWS SDK and no database.'),
    ],
  },
  {
    files: ['src/history/**/*.ts'],
    patterns: [
      intoLayers(['config', 'aws', 'graphql', 'server', 'emulator'], 'history/ implements status/ ports; it imports status/ only.'),
      packages(['graphql', 'graphql/*', 'type-graphql', '@apollo/*', 'express', 'ws', 'graphql-ws', '@aws-sdk/*', '@smithy/*'],
        'history/ is storage on the domain side: no GraphQL, server library or AWS SDK.'),
    ],
  },
  {
    files: ['src/server/**/*.ts'],
    patterns: [intoLayers(['emulator'], 'server/ never imports the emulator; main.ts composes them.')],
  },
  {
    files: ['src/emulator/**/*.ts'],
    patterns: [
      intoLayers(['config', 'aws', 'status', 'graphql', 'server'], 'emulator/ imports nothing from src/ outside itself.'),
      {
        regex: '^\\.\\./\\.\\./\\.\\.|^\\.\\./(main)(\\.js)?$',
        message: 'emulator/ imports nothing from src/ outside itself.',
      },
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', '.wireit/**', 'node_modules/**', 'coverage/**', 'src/graphql/generated/**', 'examples/generated/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
    },
  },
  ...layerRules.map(({ files, patterns }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    // The domain's public surface exports the domain's own records and failures: re-exporting aws/ here would let
    // graphql/ depend on AWS shapes while "not importing aws/" in name only.
    files: ['src/status/index.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'ExportAllDeclaration[source.value=/aws\\//], ExportNamedDeclaration[source.value=/aws\\//]',
        message: 'status/index.ts exports the domain\'s own types (records.ts, upstream-failure.ts), not aws/.',
      }],
    },
  },
  {
    // Tests walk untyped GraphQL responses; typing every shape there would hide what they check.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Sizes a reader can hold in mind: no file over 400 lines, no function over 80 (every line counted). Our IoT
    // FleetWise SDK client keeps the shape of the generated AWS SDK clients it stands in for.
    files: ['src/**/*.ts'],
    ignores: ['src/aws/fleetwise-client/**'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/emulator/cli.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only main.ts reads process.env; pass config in.' }],
    },
  },
);
