// The baseline of the server-overhead benchmark: statusgraph's own schema (schema.graphql) served by a bare Apollo
// Server — its standalone HTTP server, no express, no plugins, no limits, no DataLoaders, no cache — whose resolvers
// return the answers statusgraph gave for the same operations, read from a file. What statusgraph adds on top of
// this is its overhead.
//   node --import tsx bench/servers/bare-apollo-server.ts <answers.json>   → prints "bare server: <url>"
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The data of statusgraph's answers, by root field: `{ account: {...}, organization: {...} }`. */
type Answers = Record<string, unknown>;

const answersFile = process.argv[2];
if (!answersFile) throw new Error('usage: bare-apollo-server.ts <answers.json>');
const answers = JSON.parse(readFileSync(answersFile, 'utf8')) as Answers;

const server = new ApolloServer({
  typeDefs: readFileSync(SCHEMA_FILE, 'utf8'),
  // Static root resolvers; every field below them is Apollo's default resolver reading the stored answer.
  resolvers: { Query: Object.fromEntries(Object.entries(answers).map(([field, value]) => [field, () => value])) },
});
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
console.log(`bare server: ${url}`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
