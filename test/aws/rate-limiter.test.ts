import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, DEFAULT_MINIMUM_RATES, rateLimitPlugin, type RateLimitKey } from '../../src/aws/rate-limiter.js';

const listAccounts: RateLimitKey = { service: 'organizations', operation: 'ListAccounts', region: 'us-east-1' };
const describeAccount: RateLimitKey = { service: 'organizations', operation: 'DescribeAccount', region: 'us-east-1' };
const fleetwiseEast: RateLimitKey = { service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', region: 'us-east-1' };
const fleetwiseFrankfurt: RateLimitKey = { ...fleetwiseEast, region: 'eu-central-1' };
const fleetwiseInMember = (accountId: string): RateLimitKey => ({ ...fleetwiseEast, accountId });
const assumeRole: RateLimitKey = { service: 'sts', operation: 'AssumeRole', region: 'us-east-1' };

/** A task that records that it started and stays in flight until `finish()`. */
function recordingTasks() {
  const started: string[] = [];
  const finishers: (() => void)[] = [];
  const task = (name: string) => () => {
    started.push(name);
    return new Promise<string>((resolve) => finishers.push(() => resolve(name)));
  };
  const finishAll = () => finishers.splice(0).forEach((finish) => finish());
  return { started, task, finishAll };
}

describe('createRateLimiter', () => {
  // A simulated clock: the limiter's windows move only when the test says so.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at most the limit per second for one key and queues the rest in order', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 2 });
    const { started, task, finishAll } = recordingTasks();
    const results = ['a', 'b', 'c', 'd', 'e'].map((name) => limiter.schedule(listAccounts, task(name)));

    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b']);
    expect(limiter.queued(listAccounts)).toBe(3);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual(['a', 'b', 'c', 'd']);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    finishAll();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('never starts more than the limit within any rolling second', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 2 });
    const { started, task, finishAll } = recordingTasks();
    void limiter.schedule(listAccounts, task('a'));
    await vi.advanceTimersByTimeAsync(900);
    for (const name of ['b', 'c', 'd']) void limiter.schedule(listAccounts, task(name));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a', 'b']);
    // At 1000 ms `a` leaves the rolling second and `c` may start; a fixed window restarting at 1000 ms would
    // start `d` too, putting b, c and d within 100 ms.
    await vi.advanceTimersByTimeAsync(150);
    expect(started).toEqual(['a', 'b', 'c']);
    // `d` waits for `b` to leave the rolling second, at 1900 ms.
    await vi.advanceTimersByTimeAsync(800);
    expect(started).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    finishAll();
  });

  it('gives every (service, operation, region) its own limit', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 1 });
    const { started, task, finishAll } = recordingTasks();
    for (const [name, key] of [
      ['list-1', listAccounts],
      ['list-2', listAccounts],
      ['describe-1', describeAccount],
      ['fleetwise-east-1', fleetwiseEast],
      ['fleetwise-frankfurt-1', fleetwiseFrankfurt],
    ] as const) {
      void limiter.schedule(key, task(name));
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['list-1', 'describe-1', 'fleetwise-east-1', 'fleetwise-frankfurt-1']);
    expect(limiter.queued(listAccounts)).toBe(1);
    finishAll();
  });

  it('gives each account its own limit: calls in different member accounts count against different AWS quotas', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 1 });
    const { started, task, finishAll } = recordingTasks();
    for (const accountId of ['111111111111', '222222222222', '333333333333', '111111111111']) {
      void limiter.schedule(fleetwiseInMember(accountId), task(accountId));
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(limiter.queued(fleetwiseInMember('111111111111'))).toBe(1);
    // The server's own calls (no account in the key) are a key of their own.
    void limiter.schedule(fleetwiseEast, task('own'));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toContain('own');
    finishAll();
  });

  it('lets STS AssumeRole, made from the management account for every member, go faster than the general rate', async () => {
    const rate = DEFAULT_MINIMUM_RATES['sts:AssumeRole']!;
    expect(rate).toBeGreaterThan(20);
    const limiter = createRateLimiter({ requestsPerSecond: 20 });
    const { started, task, finishAll } = recordingTasks();
    for (let i = 0; i < rate + 5; i++) void limiter.schedule(assumeRole, task(`assume-${i}`));
    for (let i = 0; i < 25; i++) void limiter.schedule(listAccounts, task(`list-${i}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(started.filter((name) => name.startsWith('assume-'))).toHaveLength(rate);
    expect(started.filter((name) => name.startsWith('list-'))).toHaveLength(20);
    finishAll();
  });

  it('gives an operation its minimum rate only while the general rate is lower', async () => {
    const minimumRates = { 'organizations:ListAccounts': 3 };
    const slow = createRateLimiter({ requestsPerSecond: 1, minimumRates });
    const fast = createRateLimiter({ requestsPerSecond: 5, minimumRates });
    const { started, task, finishAll } = recordingTasks();
    for (let i = 0; i < 8; i++) void slow.schedule(listAccounts, task(`slow-list-${i}`));
    for (let i = 0; i < 8; i++) void fast.schedule(listAccounts, task(`fast-list-${i}`));
    // Without a minimum of its own in these options, AssumeRole gets the general rate.
    for (let i = 0; i < 8; i++) void slow.schedule(assumeRole, task(`slow-assume-${i}`));
    await vi.advanceTimersByTimeAsync(0);
    const count = (prefix: string) => started.filter((name) => name.startsWith(prefix)).length;
    expect(count('slow-list-')).toBe(3);
    expect(count('fast-list-')).toBe(5);
    expect(count('slow-assume-')).toBe(1);
    finishAll();
  });

  it('counts calls in flight until they settle, without limiting how many are in flight', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 3 });
    const { task, finishAll } = recordingTasks();
    for (const name of ['a', 'b', 'c']) void limiter.schedule(fleetwiseEast, task(name));
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.inFlight(fleetwiseEast)).toBe(3);
    finishAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.inFlight(fleetwiseEast)).toBe(0);
  });

  it('passes a task failure to its caller only', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 5 });
    const failing = limiter.schedule(listAccounts, () => Promise.reject(new Error('boom')));
    const succeeding = limiter.schedule(listAccounts, () => Promise.resolve('fine'));
    await expect(failing).rejects.toThrow('boom');
    await expect(succeeding).resolves.toBe('fine');
  });

  it('on destroy, rejects every unsettled call and starts no queued one', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 1 });
    const { started, task, finishAll } = recordingTasks();
    const running = limiter.schedule(listAccounts, task('running'));
    const queued = limiter.schedule(listAccounts, task('queued'));
    await vi.advanceTimersByTimeAsync(0);
    const outcomes = Promise.allSettled([running, queued]);
    limiter.destroy();
    const [runningOutcome, queuedOutcome] = await outcomes;
    expect(runningOutcome).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
    expect(queuedOutcome).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
    await expect(limiter.schedule(listAccounts, task('late'))).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(started).toEqual(['running']);
    finishAll();
  });

  it('refuses a limit that is not a positive whole number of requests', () => {
    expect(() => createRateLimiter({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond.*0/);
    expect(() => createRateLimiter({ requestsPerSecond: 1.5 })).toThrow(RangeError);
    expect(() => createRateLimiter({ requestsPerSecond: 5, minimumRates: { 'sts:AssumeRole': 0 } })).toThrow(/sts:AssumeRole.*0/);
  });
});

describe('rateLimitPlugin', () => {
  it('waits on every attempt after the retry middleware and before signing, so queued requests are signed fresh', () => {
    const client = new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const limiter = createRateLimiter({ requestsPerSecond: 1 });
    // Applied twice, as fromTemporaryCredentials does on every refresh: the second use replaces the first.
    client.middlewareStack.use(rateLimitPlugin(limiter, { service: 'sts', region: 'us-east-1' }));
    client.middlewareStack.use(rateLimitPlugin(limiter, { service: 'sts', region: 'us-east-1' }));
    const order = client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);
    const position = (name: string) => order.indexOf(name);
    expect(order.filter((name) => name === 'statusgraphRateLimitMiddleware')).toHaveLength(1);
    expect(position('retryMiddleware')).toBeLessThan(position('statusgraphRateLimitMiddleware'));
    expect(position('statusgraphRateLimitMiddleware')).toBeLessThan(position('httpSigningMiddleware'));
    client.destroy();
  });
});
