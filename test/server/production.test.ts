// Internal errors in production: the server's own HTTP and WebSocket faces, on a schema with a resolver that fails
// with a message full of internals. Production shows the client a fixed message and no stack trace; development
// shows both, for the developer at the keyboard.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsServices, type AwsServices } from '../../src/aws/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/node.js';
import { createAuthenticator } from '../../src/server/auth.js';
import { startStatusGraphServer, type RunningServer } from '../../src/server/http-server.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';
import { InMemoryStatusCache, InProcessPubSub, StatusService, StatusWatcher } from '../../src/status/index.js';
import { connect, post, runOverSocket } from '../e2e/hardening-support.js';

const INTERNALS = 'connect ECONNREFUSED 10.1.2.3:5432 (postgres://statusgraph@db.internal/status)';

const failingSchema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      broken: {
        type: GraphQLString,
        resolve: () => {
          throw new Error(INTERNALS);
        },
      },
    },
  }),
});

let emulator: RunningEmulator;
let aws: AwsServices;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, memberAccounts: 1, delayMs: 1_000 });
  aws = createAwsServices({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    memberRoleName: 'OrganizationAccountAccessRole',
    timeoutMs: 5_000,
    maxSockets: 10,
    maxAttempts: 1,
    rateLimitPerSecond: 100,
  });
});
afterAll(async () => {
  aws.destroy();
  await emulator.close();
});

async function serverWith(production: boolean): Promise<RunningServer> {
  const status = new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: 1_000, settledMs: 1_000 }, fleetwiseRegions: ['us-east-1'] });
  const pubsub = new InProcessPubSub();
  return startStatusGraphServer({
    host: '127.0.0.1',
    port: 0,
    schema: failingSchema,
    status,
    pubsub,
    watcher: new StatusWatcher({ status, pubsub, fastMs: 1_000, slowMs: 1_000 }),
    logger: createLogger('silent'),
    metrics: createMetrics(),
    production,
    playground: false,
    corsOrigins: [],
    readiness: [],
    security: {
      authenticator: createAuthenticator({ mode: 'none', apiKeys: [] }),
      limits: { maxDepth: 6, maxAliases: 15, maxDirectives: 50, maxTokens: 1_000, maxCost: 5_000, rateLimitPerMinute: 1_000, wsPingIntervalMs: 12_000 },
      introspection: !production,
    },
  });
}

describe('an internal error', () => {
  it('reaches a production client as "Internal server error." with no stack trace, over HTTP and graphql-ws', async () => {
    const server = await serverWith(true);
    try {
      const answer = await post(server.url, { query: '{ broken }' });
      expect(answer.body.errors).toEqual([{ message: 'Internal server error.', locations: [{ line: 1, column: 3 }], path: ['broken'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(JSON.stringify(answer.body)).not.toContain('ECONNREFUSED');

      const raw = await connect(server.url);
      const overSocket = await runOverSocket(raw, '1', { query: '{ broken }' });
      expect(overSocket.payload.errors).toEqual([expect.objectContaining({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      expect(JSON.stringify(overSocket)).not.toContain('ECONNREFUSED');
      raw.socket.close();
    } finally {
      await server.close();
    }
  });

  it('shows its message and stack to a developer outside production', async () => {
    const server = await serverWith(false);
    try {
      const answer = await post(server.url, { query: '{ broken }' });
      expect(answer.body.errors[0].message).toBe(INTERNALS);
      expect(answer.body.errors[0].extensions.stacktrace).toEqual(expect.arrayContaining([expect.stringContaining('Error: connect ECONNREFUSED')]));
    } finally {
      await server.close();
    }
  });
});
