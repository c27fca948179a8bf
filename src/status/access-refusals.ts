// Member accounts that refuse statusgraph their role. AssumeRole AccessDenied is normal for an account that joined by
// invitation and never got the role, and it does not cure itself in seconds: the refusal is remembered per (account,
// role) for the settled TTL, so a warm query costs no call for it, and every status of that account answers the same
// AWS_ACCESS_DENIED — whose message names the role and how to deploy it — until the TTL ends or an operator forgets
// it (the forgetAccessRefusals mutation, after deploying the role). An account AWS lets no one into — SUSPENDED,
// PENDING_CLOSURE or CLOSED — is not asked at all: its state in the directory answers the same AWS_ACCESS_DENIED,
// naming the state instead of a role to deploy, with no AWS call.
import { AwsCallError } from '../aws/errors.js';
import type { OrgAccount } from './records.js';
import type { StatusCache } from './status-cache.js';
import type { TtlPolicy } from './ttl.js';
import { isUpstreamFailure, upstreamFailure, type UpstreamFailure, type UpstreamFailureFacts } from './upstream-failure.js';

export interface AccessRefusalsOptions {
  readonly cache: StatusCache;
  readonly ttl: TtlPolicy;
  /** The role statusgraph assumes in member accounts (STATUSGRAPH_MEMBER_ROLE_NAME). */
  readonly memberRoleName: string;
}

/** Whether an error is AWS refusing to let statusgraph assume its role in a member account. */
export function isRoleRefusal(error: unknown): error is UpstreamFailure & { readonly accountId: string } {
  return isUpstreamFailure(error) && error.operation === 'AssumeRole' && error.accessDenied && error instanceof AwsCallError && error.accountId !== undefined;
}

/**
 * Account states in which AWS lets no role into an account (the Organizations guide's account states): a suspended
 * account is locked by AWS, one closing or closed is on its way out. AssumeRole into them is refused (AccessDenied).
 */
export const LOCKED_ACCOUNT_STATES: ReadonlySet<string> = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export class AccessRefusals {
  private readonly cache: StatusCache;
  private readonly ttl: TtlPolicy;
  private readonly role: string;
  /** Locked accounts by id, with their state, as the directory (or DescribeAccount) last said in this process. */
  private readonly locked = new Map<string, string>();

  constructor(options: AccessRefusalsOptions) {
    this.cache = options.cache;
    this.ttl = options.ttl;
    this.role = options.memberRoleName;
  }

  /**
   * Runs `call` (made in `accountId` through its role) unless the account's refusal is remembered; a refusal it meets
   * is remembered. Either way the caller gets the refusal, described so an operator knows what to deploy.
   */
  async guard<T>(accountId: string, call: () => Promise<T>): Promise<T> {
    const lockedState = this.locked.get(accountId);
    if (lockedState !== undefined) throw upstreamFailure(this.describeLocked(accountId, lockedState));
    const remembered = await this.cache.peek<UpstreamFailureFacts>(this.key(accountId));
    if (remembered) throw upstreamFailure(remembered.value);
    try {
      return await call();
    } catch (error) {
      if (!isRoleRefusal(error) || error.accountId !== accountId) throw error;
      const facts = this.describe(error);
      await this.cache.set(this.key(accountId), facts, this.ttl.settledMs);
      throw upstreamFailure(facts);
    }
  }

  /** Learns accounts' states from what the directory or DescribeAccount answered: locked ones are not asked. */
  learnStates(accounts: readonly OrgAccount[]): void {
    for (const account of accounts) {
      if (account.state !== undefined && LOCKED_ACCOUNT_STATES.has(account.state)) this.locked.set(account.id, account.state);
      else this.locked.delete(account.id);
    }
  }

  /** How long a status that failed this way is remembered; undefined for any other failure. */
  failureTtlMs(error: unknown): number | undefined {
    return isRoleRefusal(error) ? this.ttl.settledMs : undefined;
  }

  /** Forgets the refusals of these accounts at once (an operator deployed the role); answers those that were remembered. */
  async forget(accountIds: readonly string[]): Promise<string[]> {
    const remembered = await Promise.all(accountIds.map((id) => this.cache.peek(this.key(id))));
    await Promise.all(accountIds.map((id) => this.cache.invalidate(this.key(id))));
    return accountIds.filter((_id, index) => remembered[index] !== undefined);
  }

  private key(accountId: string): string {
    return `refusal:${accountId}:${this.role}`;
  }

  private describeLocked(accountId: string, state: string): UpstreamFailureFacts & { readonly accountId: string } {
    return {
      service: 'sts',
      operation: 'AssumeRole',
      code: 'AccessDenied',
      retryable: false,
      throttled: false,
      accountId,
      message:
        `account ${accountId} is ${state}: AWS lets no role into a suspended, closing or closed account, so statusgraph ` +
        'does not ask (no AWS call). Its statuses can be read again once the account is ACTIVE.',
    };
  }

  private describe(error: UpstreamFailure & { readonly accountId: string }): UpstreamFailureFacts & { readonly accountId: string } {
    return {
      service: error.service,
      operation: error.operation,
      code: error.code,
      retryable: false,
      throttled: false,
      accountId: error.accountId,
      message:
        `statusgraph cannot assume the role ${this.role} in account ${error.accountId} (AWS refused it). Deploy the ` +
        'role to the member accounts — a CloudFormation StackSet with service-managed permissions reaches every ' +
        'account of the organization — or name a role they have in STATUSGRAPH_MEMBER_ROLE_NAME, such as ' +
        'OrganizationAccountAccessRole, which Organizations creates in the accounts it creates. The refusal is ' +
        'remembered for the settled cache TTL; an operator can forget it at once with forgetAccessRefusals.',
    };
  }
}
