// Which creation request made each account, and creation requests by id: the ListCreateAccountStatus index (one scan,
// kept for the settled TTL) answers settled requests; requests in progress are followed by id with
// DescribeCreateAccountStatus (followed-creations.ts), and one that finished adds its account to the views at once.
import type { CreateAccountStatusRecord, OrgAccount } from '../aws/types.js';
import { cacheKeys, indexOf, joinedAfter, type CreationRequestIndex } from './followed-creations.js';
import type { Cached } from './status-cache.js';
import { asError, load, settleEach, type BatchResult, type StatusContext } from './status-context.js';
import { isTransitional, ttlFor } from './ttl.js';

/** The request that created each account; null for invited accounts (no call) and accounts with no record. */
export async function readCreationRequestsForAccounts(
  context: StatusContext,
  accounts: readonly OrgAccount[],
): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
  const now = new Date();
  if (accounts.every((account) => account.joinedMethod === 'INVITED')) {
    return accounts.map(() => ({ value: null, fetchedAt: now }));
  }
  // Pollers of creation statuses (a whole-organization subscription) come here: a followed creation that finished
  // then reaches them as an account that joined. An operation looks once (a cold query's later pages do not).
  await context.followed.look(context.operation);
  try {
    let index = await readCreationIndex(context);
    // An account that joined after the index was read cannot be in it. The followed requests (in progress when the
    // index was read, or created here since) usually name it; else (created elsewhere) read the index again, once.
    // Looked at again even in an operation that has looked: what it saw then could not name the account.
    if (accounts.some((account) => joinedAfter(index, account))) {
      await context.followed.look();
      index = await readCreationIndex(context);
    }
    if (accounts.some((account) => joinedAfter(index, account))) {
      await context.cache.invalidate(cacheKeys.creationIndex);
      index = await readCreationIndex(context);
    }
    const current = index;
    return accounts.map((account) =>
      account.joinedMethod === 'INVITED'
        ? { value: null, fetchedAt: now }
        : { value: current.value.byAccountId.get(account.id) ?? null, fetchedAt: current.fetchedAt },
    );
  } catch (error) {
    return accounts.map((account) =>
      account.joinedMethod === 'INVITED' ? { value: null, fetchedAt: now } : asError(error),
    );
  }
}

/**
 * The request that created an account, when that needs no AWS call: an invited account (null), or a fresh
 * creation index that can answer for it — the same rules as readCreationRequestsForAccounts.
 */
export function cachedCreationRequestForAccount(context: StatusContext, account: OrgAccount): Cached<CreateAccountStatusRecord | null> | undefined {
  if (account.joinedMethod === 'INVITED') return { value: null, fetchedAt: new Date() };
  const index = context.cache.peekNow?.<CreationRequestIndex>(cacheKeys.creationIndex);
  if (!index) return undefined;
  // An account that joined after the index was read: the batch function reads the index again.
  if (joinedAfter(index, account)) return undefined;
  return { value: index.value.byAccountId.get(account.id) ?? null, fetchedAt: index.fetchedAt };
}

/** Creation requests by id; null when AWS has no such request. One that finished adds its account to the views. */
export async function readCreationRequests(context: StatusContext, ids: readonly string[]): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
  const results = await describeCreationRequests(context, ids);
  const finished = results.flatMap((result) => (result instanceof Error || !result.value || isTransitional(result.value.state) ? [] : [result.value]));
  if (finished.length > 0) await context.followed.finished(finished);
  return results;
}

/** Creation requests by id, from the index when it holds them settled, else DescribeCreateAccountStatus each. */
export async function describeCreationRequests(context: StatusContext, ids: readonly string[]): Promise<BatchResult<CreateAccountStatusRecord | null>[]> {
  const index = await context.cache.peek<CreationRequestIndex>(cacheKeys.creationIndex);
  return settleEach(ids, async (id) => {
    const fromIndex = index?.value.byId.get(id);
    if (fromIndex && index && !isTransitional(fromIndex.state)) return { value: fromIndex, fetchedAt: index.fetchedAt };
    return load(
      context,
      cacheKeys.creationRequest(id),
      (aws) => aws.describeCreateAccountStatus(id),
      (record) => ttlFor(context.ttl, record?.state),
      (record) => [{ target: { kind: 'request', requestId: id }, status: record?.state ?? null, ...(record?.accountId ? { accountId: record.accountId } : {}) }],
    );
  });
}

/** Every creation request on record (ListCreateAccountStatus), indexed; the ones in progress are followed by id. */
export function readCreationIndex(context: StatusContext): Promise<Cached<CreationRequestIndex>> {
  return load(
    context,
    cacheKeys.creationIndex,
    async (aws) => {
      const readAt = new Date();
      const requests = await aws.listCreateAccountStatuses();
      await context.followed.followScanned(requests.filter((request) => isTransitional(request.state)).map((request) => request.id));
      return indexOf(requests, readAt);
    },
    // The index answers "which request created this account": records that name an account are settled. Requests
    // still in progress are followed by id (creationRequests), so one of them does not make 5,000 accounts' index
    // expire every few seconds.
    () => context.ttl.settledMs,
    (index) => [...index.byAccountId].map(([accountId, request]) => ({ target: { kind: 'creation', accountId }, status: request.state })),
  );
}
