// Credentials per account. The management account (the caller's own) signs with the base credentials; a member
// account signs with its member role, assumed through STS. One provider per member account is shared by every
// client of that account (all services, all regions), and it is memoized here rather than per client, so a
// member role is assumed at most once per credential lifetime (refreshed 5 minutes before expiry) however many
// clients and concurrent calls use it.
//
// Roles are assumed through the one shared STS client rather than with fromTemporaryCredentials, which builds an
// STS client per provider: with 1,000 members that is 1,000 client constructions (configuration resolution,
// middleware stacks) on the hot path of a cold query, for the same AssumeRole call.
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { AccountAccess } from './clients.js';
import type { CallAws } from './call.js';
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

/** The server's own credentials: the given keys, or the default credential chain, resolved once and shared. */
export function baseCredentialProvider(credentials: StaticCredentials | undefined): AwsCredentialIdentityProvider {
  return markMemoized(
    memoizeIdentityProvider<AwsCredentialIdentity>(
      credentials ? { ...credentials } : fromNodeProviderChain(),
      isIdentityExpired,
      doesIdentityRequireRefresh,
    )!,
  );
}

export interface AccountAccessOptions {
  readonly baseCredentials: AwsCredentialIdentityProvider;
  /** The caller's identity (cached by the caller): decides which account is the management account. */
  readonly callerIdentity: () => Promise<CallerIdentity>;
  readonly memberRoleName: string;
  /** The shared STS client (base credentials, rate limit and retries of every client) that assumes member roles. */
  readonly sts: () => STSClient;
  /** Region of that client, for the call's report. */
  readonly region: string;
  /** Reports the AssumeRole call to the call hook and maps its failure. */
  readonly callAws: CallAws;
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
      access = { accountId, credentials: assumeMemberRole(options, accountId, partition) };
      members.set(accountId, access);
    }
    return access;
  };

  return {
    async forAccount(accountId) {
      const caller = await options.callerIdentity();
      if (caller.accountId === accountId) return { accountId, credentials: options.baseCredentials };
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
  const provider: AwsCredentialIdentityProvider = () =>
    options.callAws(target, async () => {
      const { Credentials: credentials } = await options.sts().send(new AssumeRoleCommand(params));
      return {
        accessKeyId: required(credentials?.AccessKeyId, 'Credentials.AccessKeyId', target),
        secretAccessKey: required(credentials?.SecretAccessKey, 'Credentials.SecretAccessKey', target),
        sessionToken: credentials?.SessionToken,
        expiration: credentials?.Expiration,
      };
    });
  return markMemoized(memoizeIdentityProvider(provider, isIdentityExpired, doesIdentityRequireRefresh)!);
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
