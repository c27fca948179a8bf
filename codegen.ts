// GraphQL Code Generator: typed documents (client preset) for every operation in the repository — the example
// operations in examples/operations and the status board's in web/board — checked against schema.graphql.
// `npm run codegen` rewrites examples/generated/; `npm run codegen:check` fails when it is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/operations/**/*.graphql', 'web/**/*.graphql', '!web/dist/**'],
  ignoreNoDocuments: false,
  // Node ESM (NodeNext) needs the extension on relative imports; bundlers accept it too.
  importExtension: '.js',
  generates: {
    'examples/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // persisted-documents.json maps each operation's sha256 to its text: the allowlist of trusted-documents mode.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        // Documents as typed strings: they go on the wire as they are, with no GraphQL parser in the page or client.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          AccountId: 'string',
          CreateAccountRequestId: 'string',
          DateTime: 'string',
        },
      },
    },
  },
};

export default config;
