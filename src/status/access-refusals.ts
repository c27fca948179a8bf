// Member accounts that refuse statusgraph their role. AssumeRole AccessDenied is normal for an account that joined by
// invitation and never got the role, and it does not cure itself in seconds: the refusal is remembered per (account,
// role) for the settled TTL, so a warm query costs no call for it, and every status of that account answers the same
// AWS_ACCESS_DENIED — whose message names the role and how to deploy it — until the TTL ends or an operator forgets
// it (the forgetAccessRefusals mutation, after deploying the role).
import { AwsCallError } from '../aws/errors.js';
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

export class AccessRefusals {
  private readonly cache: StatusCache;
  private readonly ttl: TtlPolicy;
  private readonly role: string;

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
