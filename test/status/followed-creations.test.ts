// FollowedCreations tells the whole-organization streams of every account a followed creation made — also when the
// directory was read again (ListAccounts after its cache entry expired) and lists the account already: the soak saw
// accounts created while it ran never reach its whole-organization subscribers because of that.
import { describe, expect, it } from 'vitest';
import { cacheKeys, FollowedCreations, type AccountDirectory } from '../../src/status/followed-creations.js';
import type { CreateAccountStatusRecord, OrgAccount } from '../../src/status/records.js';
import { InMemoryStatusCache } from '../../src/status/status-cache.js';

const TTL = { transitionalMs: 1_000, settledMs: 60_000 };
const CREATED: OrgAccount = { id: '123456789012', state: 'ACTIVE', joinedMethod: 'CREATED', joinedTimestamp: new Date() };
const REQUEST: CreateAccountStatusRecord = { id: 'car-1', state: 'SUCCEEDED', accountId: CREATED.id };

function followedCreations(cache: InMemoryStatusCache): { followed: FollowedCreations; joined: string[][] } {
  const followed = new FollowedCreations({
    cache,
    ttl: TTL,
    describeRequests: async () => [{ value: REQUEST, fetchedAt: new Date() }],
    describeAccount: async () => ({ value: CREATED, fetchedAt: new Date() }),
  });
  const joined: string[][] = [];
  followed.onJoined((accounts) => joined.push(accounts.map((account) => account.id)));
  return { followed, joined };
}

function directoryOf(accounts: readonly OrgAccount[]): AccountDirectory {
  return { accounts, byId: new Map(accounts.map((account) => [account.id, account])), readAt: new Date() };
}

describe('a followed creation that SUCCEEDED', () => {
  it('tells the streams of its account when the directory read since lists it already', async () => {
    const cache = new InMemoryStatusCache();
    const { followed, joined } = followedCreations(cache);
    await followed.follow([REQUEST.id]);
    // ListAccounts read again after the account joined: the cached directory has it before the request is seen done.
    await cache.set(cacheKeys.directory, directoryOf([CREATED]), TTL.settledMs);
    await followed.look();
    expect(joined).toEqual([[CREATED.id]]);
  });

  it('adds its account to a cached directory without it, and tells the streams', async () => {
    const cache = new InMemoryStatusCache();
    const { followed, joined } = followedCreations(cache);
    await followed.follow([REQUEST.id]);
    await cache.set(cacheKeys.directory, directoryOf([]), TTL.settledMs);
    await followed.look();
    expect(joined).toEqual([[CREATED.id]]);
    expect((await cache.peek<AccountDirectory>(cacheKeys.directory))?.value.byId.has(CREATED.id)).toBe(true);
  });

  it('is told once: a directory read that lists the account it added to the cached directory is no news', async () => {
    const cache = new InMemoryStatusCache();
    const { followed, joined } = followedCreations(cache);
    const elder: OrgAccount = { id: '111111111111', state: 'ACTIVE' };
    await cache.set(cacheKeys.directory, directoryOf([elder]), TTL.settledMs);
    followed.directoryRead([elder]);
    await followed.follow([REQUEST.id]);
    await followed.look();
    expect(joined).toEqual([[CREATED.id]]);
    // A stream resumed later reads the cached directory, which lists the account since the creation added it.
    followed.directoryRead((await cache.peek<AccountDirectory>(cacheKeys.directory))!.value.accounts);
    expect(joined).toEqual([[CREATED.id]]);
  });

  it('is told once: a request over is no longer followed', async () => {
    const cache = new InMemoryStatusCache();
    const { followed, joined } = followedCreations(cache);
    await followed.follow([REQUEST.id]);
    await followed.look();
    await followed.look();
    expect(joined).toEqual([[CREATED.id]]);
  });
});

describe('a directory read', () => {
  it('tells the streams of the accounts it lists that the last read did not: created elsewhere, or followed by no one', () => {
    const { followed, joined } = followedCreations(new InMemoryStatusCache());
    const elder: OrgAccount = { id: '111111111111', state: 'ACTIVE' };
    followed.directoryRead([elder]);
    expect(joined).toEqual([]);
    const again = [elder, CREATED];
    followed.directoryRead(again);
    followed.directoryRead(again);
    expect(joined).toEqual([[CREATED.id]]);
  });
});

