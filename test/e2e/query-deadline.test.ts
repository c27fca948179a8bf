// The query deadline (issue 16, point 6): a field whose AWS calls have not settled when STATUSGRAPH_QUERY_DEADLINE_MS
// passes answers DEADLINE_EXCEEDED, and the rest of the response is returned. The emulator hangs or throttles every
// FleetWise call for good, so the deadline is the only thing that can end the wait.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const QUERY = '{ viewer { id fleetwiseRegistration { accountStatus } } }';

describe('the query deadline', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { STATUSGRAPH_QUERY_DEADLINE_MS: '1000', STATUSGRAPH_AWS_TIMEOUT_MS: '300000' } });
    // The viewer's id is read (and cached) before AWS stops answering FleetWise.
    expect((await stack.gql('{ viewer { id } }')).data).toEqual({ viewer: { id: '000000000000' } });
  });
  afterEach(() => stack.clearFaults());
  afterAll(() => stack?.close());

  it.each([
    ['hangs', { hangRate: 1 }],
    ['throttles every attempt', { throttleRate: 1 }],
  ])('answers DEADLINE_EXCEEDED for a field whose AWS call %s, with the rest of the response', async (_what, faults) => {
    await stack.setFaults({ ...faults, operations: ['iotfleetwise:GetRegisterAccountStatus'] });
    const answer = await stack.gql(QUERY);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ viewer: { id: '000000000000', fleetwiseRegistration: null } });
    expect(answer.errors).toEqual([
      expect.objectContaining({ path: ['viewer', 'fleetwiseRegistration'], extensions: expect.objectContaining({ code: 'DEADLINE_EXCEEDED' }) }),
    ]);
  });
});
