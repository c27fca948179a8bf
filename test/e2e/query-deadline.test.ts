// The query deadline (issue 16, point 6) and callers that go away: a field whose AWS call has not settled within
// STATUSGRAPH_QUERY_DEADLINE_MS answers the throttling error it was retrying (THROTTLED), or DEADLINE_EXCEEDED when
// AWS simply has not answered, and the rest of the response is returned; the retries stop with their caller — at the
// deadline, or when the HTTP client hangs up. The deadline bounds each AWS wait, not the query: a cold query longer
// than the deadline, made of calls each well within it, answers whole. The emulator hangs or throttles every FleetWise
// call for good, so only the deadline or the caller leaving can end the wait; the calls are counted on both sides (the
// emulator's call report and statusgraph's /metrics) to show that no attempt goes out after the caller is gone.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

const QUERY = '{ viewer { id fleetwiseRegistration { accountStatus } } }';
const OPERATION = 'iotfleetwise:GetRegisterAccountStatus';

/** One /metrics sample of GetRegisterAccountStatus: calls settled (any outcome) and the attempts behind them. */
async function fleetwiseMetrics(stack: Stack): Promise<{ settled: number; attempts: number }> {
  const text = await (await fetch(new URL('/metrics', stack.graphqlUrl))).text();
  const sum = (metric: string) =>
    [...text.matchAll(new RegExp(`^${metric}\\{[^}]*operation="GetRegisterAccountStatus"[^}]*\\} (\\d+)`, 'gm'))].reduce((total, [, n]) => total + Number(n), 0);
  return { settled: sum('statusgraph_aws_requests_total'), attempts: sum('statusgraph_aws_attempts_total') };
}

describe('the query deadline', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Eight attempts for a throttled call (the default): without the deadline's abort its retries would outlast the test.
    stack = await startStack({ env: { STATUSGRAPH_QUERY_DEADLINE_MS: '1000', STATUSGRAPH_AWS_TIMEOUT_MS: '300000', STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS: '8' } });
    // The viewer's id is read (and cached) before AWS stops answering FleetWise.
    expect((await stack.gql('{ viewer { id } }')).data).toEqual({ viewer: { id: '000000000000' } });
  });
  afterEach(() => stack.clearFaults());
  afterAll(() => stack?.close());

  it('answers DEADLINE_EXCEEDED for a field whose AWS call hangs, with the rest of the response', async () => {
    await stack.setFaults({ hangRate: 1, operations: [OPERATION] });
    const answer = await stack.gql(QUERY);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ viewer: { id: '000000000000', fleetwiseRegistration: null } });
    expect(answer.errors).toEqual([
      expect.objectContaining({ path: ['viewer', 'fleetwiseRegistration'], extensions: expect.objectContaining({ code: 'DEADLINE_EXCEEDED' }) }),
    ]);
  });

  it('answers the throttling it was retrying (THROTTLED) when the deadline cuts a throttled call, and stops its retries', async () => {
    await stack.setFaults({ throttleRate: 1, operations: [OPERATION] });
    const before = await fleetwiseMetrics(stack);
    await stack.resetCalls();
    const answer = await stack.gql(QUERY);
    expect(answer.data).toEqual({ viewer: { id: '000000000000', fleetwiseRegistration: null } });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['viewer', 'fleetwiseRegistration'],
        extensions: expect.objectContaining({ code: 'THROTTLED', aws: expect.objectContaining({ code: 'ThrottlingException' }) }),
      }),
    ]);
    // The call had settled when the answer went out: every attempt the emulator saw belongs to it, none is left.
    const after = await fleetwiseMetrics(stack);
    expect(after.settled - before.settled).toBe(1);
    const sent = (await stack.calls())[OPERATION] ?? 0;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(8);
    expect(after.attempts - before.attempts).toBe(sent);
  });
});

describe('a cold query longer than the deadline', () => {
  const ACCOUNTS = 160;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ memberAccounts: ACCOUNTS - 1, env: { STATUSGRAPH_QUERY_DEADLINE_MS: '3000', STATUSGRAPH_AWS_TIMEOUT_MS: '300000' } });
  });
  afterAll(() => stack?.close());

  it('answers whole when each AWS call settles within the deadline, though the query takes longer', async () => {
    // At least eight sequential ListAccounts pages (each needs the last one's token), each held 500 ms by the
    // emulator: by construction the directory outlasts the 3 s deadline, while every call settles well within it.
    await stack.setFaults({ latencyMs: 500, operations: ['organizations:ListAccounts'] });
    await stack.resetCalls();
    const answer = await stack.gql<{ organization: { accounts: { totalCount: number; nodes: unknown[] } } }>(
      '{ organization { accounts(first: 1000) { totalCount nodes { id } } } }',
    );
    expect((await stack.calls())['organizations:ListAccounts']).toBeGreaterThanOrEqual(ACCOUNTS / 20);
    expect(answer.errors).toBeUndefined();
    const { totalCount, nodes } = answer.data!.organization.accounts;
    expect(totalCount).toBeGreaterThanOrEqual(ACCOUNTS);
    expect(nodes).toHaveLength(totalCount);
  }, 60_000);
});

describe('a caller that goes away', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No deadline to speak of: only the client hanging up can end the wait.
    stack = await startStack({ env: { STATUSGRAPH_AWS_THROTTLE_MAX_ATTEMPTS: '8' } });
    expect((await stack.gql('{ viewer { id } }')).data).toEqual({ viewer: { id: '000000000000' } });
  });
  afterEach(() => stack.clearFaults());
  afterAll(() => stack?.close());

  it('stops retrying a throttled call once the HTTP client closes its request', async () => {
    await stack.setFaults({ throttleRate: 1, operations: [OPERATION] });
    const before = await fleetwiseMetrics(stack);
    await stack.resetCalls();
    const client = new AbortController();
    const request = fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    // The first attempt has been throttled: the call is retrying.
    await expect.poll(async () => (await stack.calls())[OPERATION] ?? 0, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    client.abort();
    expect(await request).toMatchObject({ name: 'AbortError' });
    // The call settles as soon as the request is gone (with eight attempts allowed, it would otherwise retry on for
    // tens of seconds), and the emulator saw exactly the attempts it reports.
    await expect.poll(async () => (await fleetwiseMetrics(stack)).settled - before.settled, { timeout: 10_000 }).toBe(1);
    const after = await fleetwiseMetrics(stack);
    const sent = (await stack.calls())[OPERATION] ?? 0;
    expect(sent).toBeLessThan(8);
    expect(after.attempts - before.attempts).toBe(sent);
  });
});

describe('calls queued behind statusgraph\'s own rate limit', () => {
  // Two requests per second for the management account's calls (AssumeRole included) and a 1.5 s deadline: the tag
  // reads, and the AssumeRoles behind the member reads, of 12 (or more) accounts queue at least 5 s in statusgraph's own
  // limiter by construction, far longer than the deadline (tester finding B7: 1,000 tag reads at 50/s against 15 s).
  // Only the wait for AWS, once a call leaves the queue, counts. (The tag reads are loads the shape shares between
  // callers and carry no caller's deadline today; the FleetWise reads carry it, and queue behind their AssumeRoles.)
  const ACCOUNTS = 12;
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      memberAccounts: ACCOUNTS - 1,
      env: { STATUSGRAPH_AWS_RATE_LIMIT: '2', STATUSGRAPH_AWS_ASSUME_ROLE_RATE_LIMIT: '2', STATUSGRAPH_QUERY_DEADLINE_MS: '1500' },
    });
  });
  afterAll(() => stack?.close());

  it('answers a cold tag filter whole: the deadline does not count the time a call waits for our own pacing', async () => {
    const directory = await stack.gql<{ organization: { accounts: { totalCount: number } } }>('{ organization { accounts(first: 1000) { totalCount } } }');
    expect(directory.errors).toBeUndefined();
    const accounts = directory.data!.organization.accounts.totalCount;
    expect(accounts).toBeGreaterThanOrEqual(ACCOUNTS);
    await stack.resetCalls();
    // The server runs in this process: a signal that many queued calls listen to must not be taken for a leak.
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const answer = await stack.gql<{ organization: { accounts: { totalCount: number; nodes: { tags: { key: string }[] }[] } } }>(
      '{ organization { accounts(first: 1000, filter: { tags: [{ key: "team" }] }) { totalCount nodes { tags { key } } } } }',
    ).finally(() => new Promise((resolve) => setImmediate(resolve)).then(() => process.off('warning', onWarning)));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    expect(answer.errors).toBeUndefined();
    const { totalCount, nodes } = answer.data!.organization.accounts;
    expect(nodes).toHaveLength(totalCount);
    for (const node of nodes) expect(node.tags.map((tag) => tag.key)).toContain('team');
    // Every account's tags were read once, none cut at the deadline and asked again.
    expect((await stack.calls())['organizations:ListTagsForResource']).toBe(accounts);
  }, 60_000);

  it('answers every member\'s FleetWise registration though their AssumeRoles queue longer than the deadline', async () => {
    await stack.resetCalls();
    const answer = await stack.gql<{ organization: { accounts: { nodes: { id: string; fleetwiseRegistration: { accountStatus: string } | null }[] } } }>(
      '{ organization { accounts(first: 1000) { nodes { id fleetwiseRegistration { accountStatus } } } } }',
    );
    // The emulator's organization has members that refuse the role or are closed: those answer AWS_ACCESS_DENIED,
    // and nothing answers DEADLINE_EXCEEDED (or any other code).
    for (const error of answer.errors ?? []) expect(error.extensions?.code).toBe('AWS_ACCESS_DENIED');
    const { nodes } = answer.data!.organization.accounts;
    expect(nodes.filter((node) => node.fleetwiseRegistration !== null).length).toBeGreaterThanOrEqual(ACCOUNTS / 2);
    // One read per account whose role could be assumed, none cut at the deadline and asked again.
    const roleRefused = (answer.errors ?? []).filter((error) => (error.extensions?.aws as { service?: string } | undefined)?.service === 'sts');
    expect((await stack.calls())['iotfleetwise:GetRegisterAccountStatus']).toBe(nodes.length - roleRefused.length);
  }, 60_000);
});
