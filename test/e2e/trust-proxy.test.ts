// The per-client rate limit behind a load balancer (issue 16, point 8): with STATUSGRAPH_TRUST_PROXY the client is the
// address X-Forwarded-For names, as express's `trust proxy` reads it; off (the default), the socket's address is the
// client, and a forged X-Forwarded-For changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { post } from './hardening-support.js';

const QUERY = { query: '{ __typename }' };
const from = (address: string) => ({ 'x-forwarded-for': address });

describe.each([
  ['behind one trusted proxy (STATUSGRAPH_TRUST_PROXY=1)', '1', true],
  ['with trust proxy off (the default)', undefined, false],
])('the per-client rate limit %s', (_what, trustProxy, separate) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: { STATUSGRAPH_RATE_LIMIT_PER_MINUTE: '2', ...(trustProxy ? { STATUSGRAPH_TRUST_PROXY: trustProxy } : {}) },
    });
  });
  afterAll(() => stack?.close());

  it(separate ? 'gives each forwarded client its own budget' : 'keys on the socket, whatever X-Forwarded-For says', async () => {
    const statuses = async (address: string) => [
      (await post(stack.graphqlUrl, QUERY, from(address))).status,
      (await post(stack.graphqlUrl, QUERY, from(address))).status,
    ];
    expect(await statuses('203.0.113.7')).toEqual([200, 200]);
    expect(await statuses('198.51.100.9')).toEqual(separate ? [200, 200] : [429, 429]);
  });
});
