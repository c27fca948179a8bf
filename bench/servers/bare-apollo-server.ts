// The baseline of the server-overhead benchmark: statusgraph's own schema (schema.graphql) served by a bare Apollo
// Server — its standalone HTTP server, no express, no plugins, no limits, no DataLoaders, no cache — whose resolvers
// return the answers statusgraph gave for the same operations, read from a file: the same data, and the same field
// errors at the same paths (a field statusgraph could not read, e.g. an account whose role may not be assumed, is an
// error in both answers, so both servers build and send it). What statusgraph adds on top of this is its overhead.
//   node --import tsx bench/servers/bare-apollo-server.ts <answers.json>   → prints "bare server: <url>"
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError } from 'graphql';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** A field error of statusgraph's answer, as it was sent. */
interface AnswerError {
  readonly message: string;
  readonly path: readonly (string | number)[];
  readonly extensions?: Record<string, unknown>;
}

/** statusgraph's answers: their data by root field (`{ account: {...}, organization: {...} }`) and their errors. */
export interface Answers {
  readonly data: Record<string, unknown>;
  readonly errors: readonly AnswerError[];
}

const answersFile = process.argv[2];
if (!answersFile) throw new Error('usage: bare-apollo-server.ts <answers.json>');
const answers = JSON.parse(readFileSync(answersFile, 'utf8')) as Answers;

// graphql-js's default resolver calls a function it finds in place of a value: one that throws makes the field the
// same error statusgraph answered with (its null in the data comes with it).
for (const error of answers.errors) {
  let parent = answers.data as Record<string | number, unknown>;
  for (const key of error.path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[error.path.at(-1)!] = () => {
    throw new GraphQLError(error.message, { extensions: error.extensions });
  };
}

const server = new ApolloServer({
  typeDefs: readFileSync(SCHEMA_FILE, 'utf8'),
  // Static root resolvers; every field below them is Apollo's default resolver reading the stored answer.
  resolvers: { Query: Object.fromEntries(Object.entries(answers.data).map(([field, value]) => [field, () => value])) },
});
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
console.log(`bare server: ${url}`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
