// Following a filter's accounts where AWS gives no Paths (an older partition): each round reads the directory and
// walks ListChildren once per parent — never a ListParents per account — and reports who entered and who left. The
// emulator always returns Paths (that path is test/e2e/subscription-moves.test.ts); this one records the calls a small
// in-memory organization is asked, with the refresh's timer on a virtual clock. An arriving account whose status a
// filter needs could not be read (throttled) is judged again the next round, not lost.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsCallError } from '../../src/aws/errors.js';
import type { AwsServices, EnrollmentStatusRecord, OrgAccount } from '../../src/aws/types.js';
import { DirectoryRefresh, followFilter, type MembershipChange } from '../../src/status/filter-membership.js';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { StatusService } from '../../src/status/status-service.js';

const ROOT = 'r-test';
const UNIT = 'ou-test-00000001';
const [A, B, C] = ['100000000001', '100000000002', '100000000003'];
/** The accounts, without Paths. */
const accounts: OrgAccount[] = [A, B, C].map((id) => ({ id, state: 'ACTIVE', joinedMethod: 'INVITED' }));
const ROUND_MS = 1_000;

let calls: string[];
/** GetEnrollmentStatus answers, one per call, in order (a failure is thrown). */
let enrollmentAnswers: (EnrollmentStatusRecord | Error)[];
/** Where each account sits now: the organization the fake AWS answers from. */
let parents: Map<string, string>;

function fakeAws(): AwsServices {
  const record = (call: string) => calls.push(call);
  return {
    callerAccountId: async () => '000000000000',
    getCallerIdentity: async () => ({ accountId: '000000000000', arn: 'arn', userId: 'u' }),
    listAccounts: async () => (record('ListAccounts'), accounts),
    listRoots: async () => (record('ListRoots'), [{ id: ROOT, arn: 'arn:root', name: 'Root' }]),
    listOrganizationalUnitsForParent: async (parentId: string) => (
      record(`ListOrganizationalUnitsForParent ${parentId}`),
      parentId === ROOT ? [{ id: UNIT, arn: 'arn:unit', name: 'Workloads', parentId: ROOT }] : []
    ),
    listAccountIdsForParent: async (parentId: string) => (
      record(`ListChildren ${parentId}`),
      [...parents].filter(([, parent]) => parent === parentId).map(([id]) => id)
    ),
    listCreateAccountStatuses: async () => [],
    getEnrollmentStatus: async (accountId: string) => {
      record(`GetEnrollmentStatus ${accountId}`);
      const answer = enrollmentAnswers.shift()!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as AwsServices;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  calls = [];
  enrollmentAnswers = [];
  parents = new Map([
    [A, UNIT],
    [B, ROOT],
    [C, UNIT],
  ]);
});
afterEach(() => vi.useRealTimers());

function serviceOver(aws: AwsServices): StatusService {
  return new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: 0, settledMs: 600_000 }, fleetwiseRegions: ['us-east-1'] });
}

describe('followFilter without Paths', () => {
  it('judges an arriving account whose status could not be read (throttled) again the next round', async () => {
    const status = serviceOver(fakeAws());
    const changes: MembershipChange[] = [];
    const filter = { organizationalUnitId: UNIT, computeOptimizerEnrollment: ['ACTIVE'] };
    const stop = await followFilter(status, new DirectoryRefresh(status, ROUND_MS), filter, new Set([A, C]), (change) => changes.push(change));
    const throttled = new AwsCallError({
      service: 'compute-optimizer', operation: 'GetEnrollmentStatus', code: 'ThrottlingException', message: 'slow down', retryable: true, throttled: true,
    });
    enrollmentAnswers = [throttled, { accountId: B, status: 'Active' }];
    parents.set(B, UNIT);
    await vi.advanceTimersByTimeAsync(ROUND_MS);
    expect(changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(ROUND_MS);
    expect(changes).toEqual([{ entered: [B], left: [] }]);
    expect(calls.filter((call) => call.startsWith('GetEnrollmentStatus'))).toEqual([`GetEnrollmentStatus ${B}`, `GetEnrollmentStatus ${B}`]);
    stop();
  });

  it('walks ListChildren once per parent a round, shared by every follower, and reports the accounts that entered and left', async () => {
    const status = new StatusService({
      aws: fakeAws(),
      cache: new InMemoryStatusCache(),
      ttl: { transitionalMs: 60_000, settledMs: 600_000 },
      fleetwiseRegions: ['us-east-1'],
    });
    const refresh = new DirectoryRefresh(status, ROUND_MS);
    const changes: MembershipChange[] = [];
    const stop = await followFilter(status, refresh, { organizationalUnitId: UNIT }, new Set([A, C]), (change) => changes.push(change));
    // A second stream: the accounts directly under the root.
    const rootChanges: MembershipChange[] = [];
    const stopRoot = await followFilter(status, refresh, { organizationalUnitId: ROOT, directOnly: true }, new Set([B]), (change) =>
      rootChanges.push(change),
    );
    expect(calls.filter((call) => call.startsWith('ListChildren')).sort()).toEqual([`ListChildren ${UNIT}`, `ListChildren ${ROOT}`]);
    calls = [];

    // MoveAccount: A to the root, B into the OU; C stays.
    parents.set(A, ROOT).set(B, UNIT);
    await vi.advanceTimersByTimeAsync(ROUND_MS);
    expect(changes).toEqual([{ entered: [B], left: [A] }]);
    expect(rootChanges).toEqual([{ entered: [A], left: [B] }]);
    // For both streams: one directory read and one ListChildren per parent; the tree stays cached; no ListParents.
    expect(calls.sort()).toEqual(['ListAccounts', `ListChildren ${UNIT}`, `ListChildren ${ROOT}`]);

    // A round where nothing moved reports nothing.
    await vi.advanceTimersByTimeAsync(ROUND_MS);
    expect(changes).toHaveLength(1);
    stop();
    stopRoot();
    calls = [];
    await vi.advanceTimersByTimeAsync(10 * ROUND_MS);
    expect(calls).toEqual([]);
  });
});
