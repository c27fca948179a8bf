// The per-request context survives the copy Apollo Server makes of it (Object.assign onto an object of the same
// prototype) with its loaders still made on first use, and renewable, on the copy.
import { describe, expect, it } from 'vitest';
import { createGraphQLContext, type GraphQLServices } from '../../src/graphql/context.js';
import { InMemoryStatusCache, InProcessPubSub, StatusService, StatusWatcher } from '../../src/status/index.js';
import type { AwsServices } from '../../src/aws/types.js';

function services(): GraphQLServices {
  const status = new StatusService({
    aws: {} as AwsServices, // no call is made: these tests only make loaders
    cache: new InMemoryStatusCache(),
    ttl: { transitionalMs: 1_000, settledMs: 1_000 },
    fleetwiseRegions: ['us-east-1'],
  });
  const pubsub = new InProcessPubSub();
  return { status, pubsub, watcher: new StatusWatcher({ status, pubsub, fastMs: 1_000, slowMs: 1_000 }) };
}

/** What Apollo Server does to the context value of every request before resolvers see it. */
function apolloCopy<T extends object>(context: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(context) as object) as T, context);
}

describe('the request context', () => {
  it('makes no loaders when copied, and makes them once on first use of the copy', () => {
    const copy = apolloCopy(createGraphQLContext(services(), 'request-1'));
    expect(Object.getOwnPropertyDescriptor(copy, 'loaders')).toBeUndefined();
    const loaders = copy.loaders;
    expect(copy.loaders).toBe(loaders);
    expect(copy.requestId).toBe('request-1');
  });

  it('renews the copy\'s loaders for each subscription event', () => {
    const copy = apolloCopy(createGraphQLContext(services(), 'request-2'));
    const first = copy.loaders;
    copy.renewLoaders();
    expect(copy.loaders).not.toBe(first);
  });
});
