import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, rateLimitPlugin, type RateLimitKey } from '../../src/aws/rate-limiter.js';

const listAccounts: RateLimitKey = { service: 'organizations', operation: 'ListAccounts', region: 'us-east-1' };
const describeAccount: RateLimitKey = { service: 'organizations', operation: 'DescribeAccount', region: 'us-east-1' };
const fleetwiseEast: RateLimitKey = { service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', region: 'us-east-1' };
const fleetwiseFrankfurt: RateLimitKey = { ...fleetwiseEast, region: 'eu-central-1' };

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
