// Credentials per account. The management account (the caller's own) signs with the base credentials; a member
// account signs with its member role, assumed through STS. One provider per member account is shared by every
// client of that account (all services, all regions), and it is memoized here rather than per client, so a
// member role is assumed at most once per credential lifetime (refreshed 5 minutes before expiry) however many
// clients and concurrent calls use it.
//
// Roles are assumed through the one shared STS client rather than with fromTemporaryCredentials, which builds an
// STS client per provider: with 1,000 members that is 1,000 client constructions (configuration resolution,
// middleware stacks) on the hot path of a cold query, for the same AssumeRole call.
//
// Credentials AWS refuses (a revoked session, a restarted endpoint) are renewed through each account's
// CredentialRenewal: a member role is assumed again, once for all the calls refused with the same credentials.
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AccountAccess } from './clients.js';
import type { CallAws } from './call.js';
import type { CredentialRenewal, CredentialRenewalOutcome } from './credential-renewal.js';
import { required } from './response.js';
import type { CallerIdentity } from './types.js';

const STS_SERVICE = 'sts';
/** Shows in CloudTrail as the session of every role statusgraph assumes. */
const ROLE_SESSION_NAME = 'statusgraph';
/** One hour: the longest session role chaining allows, and the AssumeRole default. */
const ROLE_SESSION_SECONDS = 3_600;

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A renewal's outcome, for metrics and logs: whose credentials were refused, and whether new ones worked. */
export interface CredentialRenewalEvent {
  /** `management`: the server's own credentials; `member`: an assumed member role. */
  readonly account: 'management' | 'member';
  readonly accountId?: string;
  readonly outcome: CredentialRenewalOutcome;
}

/** Credentials and, when new ones can be had, how to renew them. */
export interface AccountCredentials {
  readonly credentials: AwsCredentialIdentityProvider;
  readonly renewal?: CredentialRenewal;
}

/**
 * The server's own credentials: the given keys (nothing to renew: the same keys would be refused again), or the
 * default credential chain, resolved once, shared, and resolved again when AWS refuses them.
 */
export function baseCredentials(
  credentials: StaticCredentials | undefined,
  onRenewal?: (event: CredentialRenewalEvent) => void,
): AccountCredentials {
  if (credentials) return { credentials: markMemoized(memoizeIdentityProvider<AwsCredentialIdentity>({ ...credentials }, isIdentityExpired, doesIdentityRequireRefresh)!) };
  return renewable(fromNodeProviderChain(), (outcome) => onRenewal?.({ account: 'management', outcome }));
}

export interface AccountAccessOptions {
  readonly baseCredentials: AccountCredentials;
  /** The caller's identity (cached by the caller): decides which account is the management account. */
  readonly callerIdentity: () => Promise<CallerIdentity>;
  readonly memberRoleName: string;
  /** The shared STS client (base credentials, rate limit and retries of every client) that assumes member roles. */
  readonly sts: () => STSClient;
  /** Region of that client, for the call's report. */
  readonly region: string;
  /** Reports the AssumeRole call to the call hook and maps its failure. */
  readonly callAws: CallAws;
  /** Told of every renewal of refused member credentials. */
  readonly onRenewal?: (event: CredentialRenewalEvent) => void;
}

export interface AccountAccessResolver {
  /** The credentials to use for an account; never makes an AssumeRole call itself (that happens on first use). */
  forAccount(accountId: string): Promise<AccountAccess>;
}

export function createAccountAccessResolver(options: AccountAccessOptions): AccountAccessResolver {
  const members = new Map<string, AccountAccess>();

  const memberAccess = (accountId: string, partition: string): AccountAccess => {
    let access = members.get(accountId);
    if (!access) {
      const assumed = renewable(assumeMemberRole(options, accountId, partition), (outcome) =>
        options.onRenewal?.({ account: 'member', accountId, outcome }),
      );
      access = { accountId, ...assumed };
      members.set(accountId, access);
    }
    return access;
  };

  return {
    async forAccount(accountId) {
      const caller = await options.callerIdentity();
      if (caller.accountId === accountId) return { accountId, ...options.baseCredentials };
      return memberAccess(accountId, partitionOf(caller.arn));
    },
  };
}

function assumeMemberRole(options: AccountAccessOptions, accountId: string, partition: string) {
  const target = { service: STS_SERVICE, operation: 'AssumeRole', region: options.region, accountId };
  const params = {
    RoleArn: `arn:${partition}:iam::${accountId}:role/${options.memberRoleName}`,
    RoleSessionName: ROLE_SESSION_NAME,
    DurationSeconds: ROLE_SESSION_SECONDS,
  };
  // The call wrapper reports the call and turns a failure into AwsCallError(sts, AssumeRole, accountId), which
  // then passes unchanged through the client call that needed the credentials.
  return (): Promise<AwsCredentialIdentity> =>
    options.callAws(target, async () => {
      const { Credentials: credentials } = await options.sts().send(new AssumeRoleCommand(params));
      return {
        accessKeyId: required(credentials?.AccessKeyId, 'Credentials.AccessKeyId', target),
        secretAccessKey: required(credentials?.SecretAccessKey, 'Credentials.SecretAccessKey', target),
        sessionToken: credentials?.SessionToken,
        expiration: credentials?.Expiration,
      };
    });
}

/**
 * Memoizes a provider (refreshed 5 minutes before expiry) and renews it on demand: `renew(refused)` forces a new
 * resolution unless one happened since `refused` was handed out, and calls refused together share it.
 */
function renewable(source: AwsCredentialIdentityProvider, report: (outcome: CredentialRenewalOutcome) => void): Required<AccountCredentials> {
  const memoized = memoizeIdentityProvider(source, isIdentityExpired, doesIdentityRequireRefresh)!;
  let current: AwsCredentialIdentity | undefined;
  let renewing: Promise<unknown> | undefined;
  const credentials: AwsCredentialIdentityProvider = async (properties) => (current = await memoized(properties));
  const renewal: CredentialRenewal = {
    renew(refused) {
      if (renewing) return renewing.then(() => undefined);
      if (current !== undefined && refused !== undefined && current.accessKeyId !== refused.accessKeyId) return Promise.resolve();
      renewing = credentials({ forceRefresh: true }).finally(() => (renewing = undefined));
      return renewing.then(() => undefined);
    },
    report,
  };
  return { credentials: markMemoized(credentials), renewal };
}

/** `arn:aws-cn:iam::…` → `aws-cn`: member role ARNs live in the caller's partition. */
function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws';
}

/**
 * SDK clients wrap a provider in their own memoization unless it says it is memoized already; ours is, and
 * per-client wrappers would only add copies of the same credentials.
 */
function markMemoized(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return Object.assign(provider, { memoized: true });
}
