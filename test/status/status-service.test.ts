// StatusService decides which AWS call answers which keys. These tests record the calls it makes, the way
// DataLoader's own tests record batches, on a small in-memory organization.
import { describe, expect, it } from 'vitest';
import { AwsCallError } from '../../src/aws/errors.js';
import type { AwsServices, EnrollmentStatusRecord, OrgAccount } from '../../src/aws/types.js';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';
import { StatusReader } from '../../src/status/status-reader.js';
import { StatusService } from '../../src/status/status-service.js';

const MANAGEMENT = '000000000000';
const members = Array.from({ length: 8 }, (_, index) => String(100000000001 + index));
const accounts: OrgAccount[] = [
  { id: MANAGEMENT, joinedMethod: 'CREATED', state: 'ACTIVE' },
  ...members.map((id, index) => ({ id, joinedMethod: index % 2 ? 'INVITED' : 'CREATED', state: 'ACTIVE' })),
];
const enrollment = (accountId: string): EnrollmentStatusRecord => ({ accountId, status: 'Active' });

function recordingAws(options: { scanDenied?: boolean } = {}): [AwsServices, string[]] {
  const calls: string[] = [];
  const record = (call: string) => calls.push(call);
  const aws: AwsServices = {
    getCallerIdentity: async () => ({ accountId: MANAGEMENT, arn: 'arn', userId: 'u' }),
    callerAccountId: async () => MANAGEMENT,
    describeOrganization: async () => (record('DescribeOrganization'), null),
    listAccounts: async () => (record('ListAccounts'), accounts),
    describeAccount: async (id) => (record(`DescribeAccount ${id}`), accounts.find((account) => account.id === id) ?? null),
    listRoots: async () => (record('ListRoots'), [{ id: 'r-test', arn: 'arn:root', name: 'Root' }]),
    listOrganizationalUnitsForParent: async (parentId) => (record(`ListOrganizationalUnitsForParent ${parentId}`), []),
    listAccountIdsForParent: async (parentId) => (record(`ListChildren ${parentId}`), []),
    listTagsForResource: async (id) => (record(`ListTagsForResource ${id}`), []),
    listCreateAccountStatuses: async () => (
      record('ListCreateAccountStatus'),
      accounts
        .filter((account) => account.joinedMethod === 'CREATED')
        .map((account) => ({ id: `car-${account.id}`, state: 'SUCCEEDED', accountId: account.id }))
    ),
    describeCreateAccountStatus: async (id) => (record(`DescribeCreateAccountStatus ${id}`), { id, state: 'IN_PROGRESS' }),
    createAccount: async () => {
      throw new Error('not used');
    },
    getEnrollmentStatus: async (id) => (record(`GetEnrollmentStatus ${id}`), enrollment(id)),
    listOrganizationEnrollmentStatuses: async () => {
      record('GetEnrollmentStatusesForOrganization');
      if (options.scanDenied) {
        throw new AwsCallError({ service: 'compute-optimizer', operation: 'GetEnrollmentStatusesForOrganization', code: 'AccessDeniedException', message: 'denied', retryable: false, throttled: false });
      }
      return members.map(enrollment);
    },
    updateEnrollmentStatus: async () => {
      throw new Error('not used');
    },
    getFleetwiseRegistration: async (id, region) => (record(`GetRegisterAccountStatus ${id} ${region}`), null),
    registerFleetwiseAccount: async () => {
      throw new Error('not used');
    },
    isFleetwiseRegion: (region) => region === 'us-east-1',
    withSignal: () => aws,
    destroy: () => undefined,
  };
  return [aws, calls];
}

function serviceOver(aws: AwsServices) {
  return new StatusService({
    aws,
    cache: new InMemoryStatusCache(),
    ttl: { transitionalMs: 1_000, settledMs: 60_000 },
    fleetwiseRegions: ['us-east-1'],
  });
}

describe('StatusService', () => {
  it('answers enrollments updated since the org-wide scan with their new status, not the scan\'s', async () => {
    const [base] = recordingAws();
    const statuses = new Map(members.map((id) => [id, 'Inactive']));
    const aws: AwsServices = {
      ...base,
      listOrganizationEnrollmentStatuses: async () => members.map((accountId) => ({ accountId, status: statuses.get(accountId)! })),
      updateEnrollmentStatus: async ({ accountId }) => (statuses.set(accountId, 'Pending'), { accountId, status: 'Pending' }),
    };
    const service = serviceOver(aws);
    await service.enrollments(members);
    await service.updateEnrollment({ accountId: members[0]!, status: 'Active' });
    await service.updateEnrollment({ accountId: members[1]!, status: 'Active' });
    const [first, second, third] = await service.enrollments(members.slice(0, 3));
    expect([first, second, third].map((result) => (result instanceof Error ? result : result!.value.status))).toEqual(['Pending', 'Pending', 'Inactive']);
  });

  it('answers many members with one org-wide enrollment scan and the management account with its own call', async () => {
    const [aws, calls] = recordingAws();
    const results = await serviceOver(aws).enrollments([MANAGEMENT, ...members]);
    expect(results.every((result) => !(result instanceof Error))).toBe(true);
    expect(calls.sort()).toEqual(['GetEnrollmentStatus 000000000000', 'GetEnrollmentStatusesForOrganization']);
  });

  it('asks a single member directly, as the fallback rule says', async () => {
    const [aws, calls] = recordingAws();
    await serviceOver(aws).enrollments([members[0]!]);
    expect(calls).toEqual([`GetEnrollmentStatus ${members[0]}`]);
  });

  it('falls back to per-account calls when the org-wide scan is denied, and remembers the denial', async () => {
    const [aws, calls] = recordingAws({ scanDenied: true });
    const service = serviceOver(aws);
    const first = await service.enrollments(members.slice(0, 3));
    expect(first.map((result) => (result instanceof Error ? 'error' : result.value.status))).toEqual(['Active', 'Active', 'Active']);
    await service.enrollments(members.slice(3, 6));
    expect(calls.filter((call) => call === 'GetEnrollmentStatusesForOrganization')).toHaveLength(1);
    expect(calls.filter((call) => call.startsWith('GetEnrollmentStatus '))).toHaveLength(6);
  });

  it('serves members from the cache once a scan has read them', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    await service.enrollments(members);
    calls.length = 0;
    await service.enrollments([members[2]!]);
    expect(calls).toEqual([]);
  });

  it('needs no call for invited accounts\' creation requests, and one scan for created ones', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    const invited = accounts.filter((account) => account.joinedMethod === 'INVITED');
    const onlyInvited = await service.creationRequestsForAccounts(invited);
    expect(onlyInvited.every((result) => !(result instanceof Error) && result.value === null)).toBe(true);
    expect(calls).toEqual([]);

    const results = await service.creationRequestsForAccounts(accounts);
    expect(calls).toEqual(['ListCreateAccountStatus']);
    const created = results.filter((result) => !(result instanceof Error) && result.value !== null);
    expect(created).toHaveLength(accounts.filter((account) => account.joinedMethod === 'CREATED').length);
  });

  it('describes a few unknown accounts one by one, and scans the directory for many', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    const few = await service.accounts([members[0]!, '999999999999']);
    expect(few.map((result) => (result instanceof Error ? 'error' : result.value?.id ?? null))).toEqual([members[0], null]);
    expect(calls).toEqual([`DescribeAccount ${members[0]}`, 'DescribeAccount 999999999999']);

    calls.length = 0;
    await service.accounts(members);
    expect(calls).toEqual(['ListAccounts']);
    calls.length = 0;
    await service.accounts([MANAGEMENT]);
    expect(calls).toEqual([]);
  });

  it('answers a creation request from the scanned index without DescribeCreateAccountStatus', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    await service.creationIndex();
    calls.length = 0;
    const [known, unknown] = await service.creationRequests([`car-${MANAGEMENT}`, 'car-notindexed']);
    expect(known instanceof Error ? known : known!.value?.state).toBe('SUCCEEDED');
    expect(unknown instanceof Error ? unknown : unknown!.value?.state).toBe('IN_PROGRESS');
    expect(calls).toEqual(['DescribeCreateAccountStatus car-notindexed']);
  });

  it('asks for an account the cached directory does not hold yet (created since), one by one', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    await service.directory();
    calls.length = 0;
    const [known, absent] = await service.accounts([members[0]!, '999999999999']);
    expect(known instanceof Error ? known : known!.value?.id).toBe(members[0]);
    expect(absent instanceof Error ? absent : absent!.value).toBeNull();
    expect(calls).toEqual(['DescribeAccount 999999999999']);
  });

  it('reads the creation index again for an account that joined after it was read, and only then', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    await service.creationIndex();
    calls.length = 0;
    const old = { id: MANAGEMENT, joinedMethod: 'CREATED', joinedTimestamp: new Date(0) };
    await service.creationRequestsForAccounts([old]);
    expect(calls).toEqual([]);
    const newcomer = { id: '100000000099', joinedMethod: 'CREATED', joinedTimestamp: new Date(Date.now() + 60_000) };
    await service.creationRequestsForAccounts([newcomer]);
    expect(calls).toEqual(['ListCreateAccountStatus']);
  });

  it('answers one failing key with its error and the others with values', async () => {
    const [aws] = recordingAws();
    const failing: AwsServices = {
      ...aws,
      getFleetwiseRegistration: async (id) => {
        if (id === members[1]) throw new AwsCallError({ service: 'iotfleetwise', operation: 'GetRegisterAccountStatus', code: 'InternalServerException', message: 'boom', retryable: true, throttled: false });
        return null;
      },
    };
    const results = await serviceOver(failing).fleetwiseRegistrations(members.slice(0, 3).map((accountId) => ({ accountId, region: 'us-east-1' })));
    expect(results.map((result) => (result instanceof Error ? 'error' : result.value))).toEqual([null, 'error', null]);
  });
});

describe('the directory, page by page', () => {
  /** ListAccounts in pages that arrive when the test says so. */
  function pagedAws() {
    const [aws, calls] = recordingAws();
    const pages = [accounts.slice(0, 3), accounts.slice(3, 6), accounts.slice(6)];
    const releases: (() => void)[] = [];
    const arrived = pages.map(() => new Promise<void>((resolve) => releases.push(resolve)));
    aws.listAccounts = async (options) => {
      calls.push('ListAccounts');
      for (const [index, page] of pages.entries()) {
        await arrived[index];
        options?.onPage?.(page);
      }
      return pages.flat();
    };
    const nextPage = async () => {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { aws, calls, nextPage };
  }

  it('shows a caller each page as it arrives, and the pages read before it asked, from one ListAccounts read', async () => {
    const { aws, calls, nextPage } = pagedAws();
    const service = serviceOver(aws);
    const early: string[][] = [];
    const late: string[][] = [];
    const first = service.directory({ onPage: (page) => early.push(page.map((account) => account.id)) });
    await nextPage();
    expect(early).toEqual([accounts.slice(0, 3).map((account) => account.id)]);

    // A second caller joins the read under way: it is shown the page already read, then the rest.
    const second = service.directory({ onPage: (page) => late.push(page.map((account) => account.id)) });
    expect(late).toEqual(early);
    await nextPage();
    await nextPage();
    const [one, two] = await Promise.all([first, second]);
    expect(one.value.accounts).toHaveLength(accounts.length);
    expect(two.value).toBe(one.value);
    expect(early.flat()).toEqual(accounts.map((account) => account.id));
    expect(late).toEqual(early);
    expect(calls.filter((call) => call === 'ListAccounts')).toHaveLength(1);
  });

  it('shows no page to a caller answered from the cache: the answer is whole', async () => {
    const { aws, nextPage } = pagedAws();
    const service = serviceOver(aws);
    const reading = service.directory();
    await nextPage();
    await nextPage();
    await nextPage();
    await reading;
    const pagesSeen: unknown[] = [];
    const cached = await service.directory({ onPage: (page) => pagesSeen.push(page) });
    expect(pagesSeen).toEqual([]);
    expect(cached.value.accounts).toHaveLength(accounts.length);
  });
});

describe('answers at once from the cache', () => {
  it('answers a creation request from a fresh index, null for an invited account, and nothing it would have to read again', async () => {
    const [aws, calls] = recordingAws();
    const service = serviceOver(aws);
    const created = accounts.find((account) => account.joinedMethod === 'CREATED' && account.id !== MANAGEMENT)!;
    const invited = accounts.find((account) => account.joinedMethod === 'INVITED')!;
    // Nothing read yet: only the invited account is answered (it needs no call at all).
    expect(service.cachedCreationRequestForAccount(created)).toBeUndefined();
    expect(service.cachedCreationRequestForAccount(invited)?.value).toBeNull();

    await service.creationIndex();
    expect(service.cachedCreationRequestForAccount(created)?.value).toMatchObject({ accountId: created.id, state: 'SUCCEEDED' });
    // An account that joined after the index was read is not in it: the batch function must read the index again.
    const joinedLater = { id: '100000000099', joinedMethod: 'CREATED', state: 'ACTIVE', joinedTimestamp: new Date(Date.now() + 60_000) };
    expect(service.cachedCreationRequestForAccount(joinedLater)).toBeUndefined();
    expect(calls).toEqual(['ListCreateAccountStatus']);
  });

  it('answers enrollments the org-wide scan stored, and no status it does not hold', async () => {
    const [aws] = recordingAws();
    const service = serviceOver(aws);
    expect(service.cachedEnrollment(members[0]!)).toBeUndefined();
    await service.enrollments(members);
    expect(service.cachedEnrollment(members[0]!)?.value).toEqual(enrollment(members[0]!));
    expect(service.cachedFleetwiseRegistration(members[0]!, 'us-east-1')).toBeUndefined();
  });
});

describe("an operation's reads of the organization's shape (forCaller)", () => {
  /** Services whose ListTagsForResource runs until the signal its call was given aborts, recording what it was given. */
  function tagsUntilAborted(): { aws: AwsServices; given: { signal: AbortSignal; deadlineMs?: number }[] } {
    const [base] = recordingAws();
    const given: { signal: AbortSignal; deadlineMs?: number }[] = [];
    const aws: AwsServices = {
      ...base,
      withSignal: (signal, options) => {
        given.push({ signal, ...options });
        return {
          ...aws,
          listTagsForResource: () =>
            new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('the call was cut')), { once: true })),
        };
      },
    };
    return { aws, given };
  }

  it("carries the caller's deadline to a tag read's AWS call, and stops it when the caller goes", async () => {
    const { aws, given } = tagsUntilAborted();
    const caller = new AbortController();
    const service = serviceOver(aws).forCaller({ signal: caller.signal, awsDeadlineMs: 2_500 });
    const answer = service.shape.tags([members[0]!]);
    expect(given).toHaveLength(1);
    expect(given[0]!.deadlineMs).toBe(2_500);
    expect(given[0]!.signal.aborted).toBe(false);

    // The only waiter has gone: the load's signal aborts, and the read answers what its cut call answered.
    caller.abort(new Error('caller gone'));
    expect(await answer).toEqual([new Error('the call was cut')]);
    expect(given[0]!.signal.aborted).toBe(true);
  });

  it('reads tags with the shared services for the server itself (no caller): nothing cuts them', async () => {
    const { aws, given } = tagsUntilAborted();
    expect(await serviceOver(aws).shape.tags([members[0]!])).toEqual([expect.objectContaining({ value: [] })]);
    expect(given).toHaveLength(0);
  });
});

describe("the per-request reader's reads of the organization's shape", () => {
  it("answers cached tags and tree at once, and reads missing tags through the caller's view (its deadline)", async () => {
    const [base, calls] = recordingAws();
    const deadlines: (number | undefined)[] = [];
    const aws: AwsServices = { ...base, withSignal: (_signal, options) => (deadlines.push(options?.deadlineMs), aws) };
    const reader = new StatusReader(serviceOver(aws), undefined, { signal: new AbortController().signal, awsDeadlineMs: 1_500 });

    const cold = reader.tags(members[0]!);
    expect(cold).toBeInstanceOf(Promise);
    expect((await cold).value).toEqual([]);
    expect(deadlines).toEqual([1_500]);
    // Now cached: answered at once, no promise and no call.
    const warm = reader.tags(members[0]!);
    expect(warm).not.toBeInstanceOf(Promise);
    expect(calls.filter((call) => call.startsWith('ListTagsForResource'))).toHaveLength(1);

    await reader.tree();
    expect(reader.tree()).not.toBeInstanceOf(Promise);
    expect(calls.filter((call) => call === 'ListRoots')).toHaveLength(1);
  });

  it("rejects with a tag read's own error, and a creation request's", async () => {
    const [base] = recordingAws();
    const denied = new AwsCallError({ service: 'organizations', operation: 'ListTagsForResource', code: 'AccessDeniedException', message: 'denied', retryable: false, throttled: false });
    const aws: AwsServices = {
      ...base,
      listTagsForResource: async () => {
        throw denied;
      },
      describeCreateAccountStatus: async () => {
        throw denied;
      },
    };
    const reader = new StatusReader(serviceOver(aws));
    await expect(reader.tags(members[0]!)).rejects.toBe(denied);
    await expect(reader.creationRequest('car-1234567890abcdef')).rejects.toBe(denied);
  });

  it('answers one directory for the whole of an operation, though the cache moves on meanwhile', async () => {
    const [aws, calls] = recordingAws();
    const cache = new InMemoryStatusCache();
    const service = new StatusService({ aws, cache, ttl: { transitionalMs: 1_000, settledMs: 60_000 }, fleetwiseRegions: ['us-east-1'] });
    const reader = new StatusReader(service);
    const seen = await reader.directory();
    expect(seen.value.accounts).toHaveLength(accounts.length);

    // A poller adds a created account to the cached directory while the operation's other fields still read.
    const joined: OrgAccount = { id: '100000000099', joinedMethod: 'CREATED', state: 'ACTIVE' };
    const grown = [...accounts, joined];
    await cache.set('org:accounts', { accounts: grown, byId: new Map(grown.map((account) => [account.id, account])), readAt: new Date() }, 60_000);

    expect((await reader.directory()).value.accounts).toHaveLength(accounts.length);
    expect((await reader.organizationStatuses()).accounts).toHaveLength(accounts.length);
    // The next operation sees it, from the cache: ListAccounts was read once.
    expect((await new StatusReader(service).directory()).value.accounts).toHaveLength(grown.length);
    expect(calls.filter((call) => call === 'ListAccounts')).toHaveLength(1);
  });
});
