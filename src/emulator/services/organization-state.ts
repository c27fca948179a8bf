// The emulated AWS Organization's state — its accounts and the CreateAccount requests on record — which
// organizations.ts serves as the Organizations API. Time-driven state is read lazily from the moment asked about: a
// request is IN_PROGRESS until its completion time, and the account it creates joins the organization at that same
// moment. Nothing runs in the background. A held request stays IN_PROGRESS until released (transitions.ts); its
// account joins at the release.
import type { InFlightTransition, StatusHistory } from '../core/world-control.js';
import type { SeededRandom } from './random.js';
import { completionTime, historyOf, NO_HOLDS, settlesAtOrHeld, type TransitionGate, type TransitionSource } from './transitions.js';

export const ACCOUNT_STATES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'PENDING_ACTIVATION', 'CLOSED'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];
export type JoinedMethod = 'CREATED' | 'INVITED';

export const CREATE_ACCOUNT_STATES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'] as const;
export type CreateAccountState = (typeof CREATE_ACCOUNT_STATES)[number];

/** The role CreateAccount sets up in a new account for the management account to assume, unless told otherwise. */
export const DEFAULT_MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly state: AccountState;
  readonly joinedMethod: JoinedMethod;
  /** When the account joined; before that moment it is not part of the organization. */
  readonly joinedAt: Date;
  /** The role the management account may assume in this account; undefined when there is none. */
  readonly memberRoleName: string | undefined;
}

export type CreateAccountOutcome =
  | { readonly state: 'SUCCEEDED'; readonly accountId: string }
  | { readonly state: 'FAILED'; readonly failureReason: string };

export interface CreateAccountRequestRecord {
  readonly id: string;
  readonly accountName: string;
  readonly requestedAt: Date;
  /** Until this moment the request is IN_PROGRESS; from it on it shows its outcome. */
  readonly completesAt: Date;
  /** Decided when the request is made, revealed when it completes. */
  readonly outcome: CreateAccountOutcome;
}

/** A creation request as it stands at one moment: the shape of CreateAccountStatus. */
export interface CreateAccountStatusView {
  readonly id: string;
  readonly accountName: string;
  readonly state: CreateAccountState;
  readonly requestedAt: Date;
  readonly completedAt?: Date;
  readonly accountId?: string;
  readonly failureReason?: string;
}

export interface NewAccountRequest {
  readonly email: string;
  readonly accountName: string;
  readonly roleName?: string;
}

export interface OrganizationInit {
  /** `o-` and 10 lowercase letters or digits. */
  readonly id: string;
  readonly management: AccountRecord;
  /** Members in joining order; members that join in the future (created by a pending request) come last. */
  readonly members: readonly AccountRecord[];
  /** Creation requests in the order they were made; the ones still in progress come last. */
  readonly creationRequests: readonly CreateAccountRequestRecord[];
  /** Account quota, the management account included: a creation beyond it fails with ACCOUNT_LIMIT_EXCEEDED. */
  readonly maxAccounts: number;
  /** How long a CreateAccount request stays IN_PROGRESS, in milliseconds. */
  readonly delayMs: number;
  /** Source of new account ids and request ids. */
  readonly random: SeededRandom;
  /** Decides which new requests wait for a release. @default holds nothing */
  readonly gate?: TransitionGate;
}

export class Organization implements TransitionSource {
  readonly kind = 'creation';
  readonly id: string;
  readonly managementAccountId: string;
  private readonly accounts: AccountRecord[];
  private readonly accountsById = new Map<string, AccountRecord>();
  private readonly requests: CreateAccountRequestRecord[];
  private readonly requestsById = new Map<string, CreateAccountRequestRecord>();
  /** Lower-cased emails of every account, joined or still being created: a second request for one fails. */
  private readonly claimedEmails = new Set<string>();
  private readonly maxAccounts: number;
  private readonly delayMs: number;
  private readonly random: SeededRandom;
  private readonly gate: TransitionGate;
  /** Ids of the requests that may still be in progress (pruned as they are found completed). */
  private readonly unsettled = new Set<string>();

  constructor(init: OrganizationInit) {
    this.id = init.id;
    this.managementAccountId = init.management.id;
    this.accounts = [init.management, ...init.members];
    for (const account of this.accounts) {
      this.accountsById.set(account.id, account);
      this.claimedEmails.add(account.email.toLowerCase());
    }
    this.requests = [...init.creationRequests];
    for (const request of this.requests) {
      this.requestsById.set(request.id, request);
      this.unsettled.add(request.id);
    }
    this.maxAccounts = init.maxAccounts;
    this.delayMs = init.delayMs;
    this.random = init.random;
    this.gate = init.gate ?? NO_HOLDS;
  }

  get arn(): string {
    return `arn:aws:organizations::${this.managementAccountId}:organization/${this.id}`;
  }

  get management(): AccountRecord {
    return this.accounts[0]!;
  }

  accountArn(accountId: string): string {
    return `arn:aws:organizations::${this.managementAccountId}:account/${this.id}/${accountId}`;
  }

  /**
   * How many accounts (management first) have joined by `now`. The list is kept in joining order, and accounts that
   * a pending request will create sit at its end (held ones last), so this only looks at the few pending ones.
   */
  joinedAccountCount(now: Date): number {
    let count = this.accounts.length;
    while (count > 0 && this.accounts[count - 1]!.joinedAt > now) count--;
    return count;
  }

  /** The account at a position of the joining order (0 is the management account). */
  accountAt(index: number): AccountRecord {
    const account = this.accounts[index];
    if (account === undefined) throw new RangeError(`no account at position ${index}`);
    return account;
  }

  /** The account with this id if it has joined by `now`. */
  findAccount(accountId: string, now: Date): AccountRecord | undefined {
    const account = this.accountsById.get(accountId);
    return account !== undefined && account.joinedAt <= now ? account : undefined;
  }

  includes(accountId: string, now: Date): boolean {
    return this.findAccount(accountId, now) !== undefined;
  }

  isManagementAccount(accountId: string): boolean {
    return accountId === this.managementAccountId;
  }

  get creationRequestCount(): number {
    return this.requests.length;
  }

  creationRequestAt(index: number): CreateAccountRequestRecord {
    const request = this.requests[index];
    if (request === undefined) throw new RangeError(`no creation request at position ${index}`);
    return request;
  }

  findCreationRequest(requestId: string): CreateAccountRequestRecord | undefined {
    return this.requestsById.get(requestId);
  }

  /** Requests still in progress at `now`. */
  creationsInProgress(now: Date): number {
    return this.requestsInProgress(now).length;
  }

  /**
   * Records a CreateAccount request. Its outcome is decided now, as AWS would find it: the email already belongs to
   * an account (or to an earlier request that will succeed) → EMAIL_ALREADY_EXISTS; the organization would outgrow
   * its account quota → ACCOUNT_LIMIT_EXCEEDED; otherwise the new account joins when the request completes.
   */
  requestAccount(request: NewAccountRequest, now: Date): CreateAccountRequestRecord {
    const id = this.newRequestId();
    const completesAt = completionTime(this.gate, requestKey(id), now, this.delayMs);
    const outcome = this.decideOutcome(request, completesAt);
    const record: CreateAccountRequestRecord = { id, accountName: request.accountName, requestedAt: now, completesAt, outcome };
    this.requests.push(record);
    this.requestsById.set(record.id, record);
    this.unsettled.add(record.id);
    return record;
  }

  inFlight(now: Date): InFlightTransition[] {
    return this.requestsInProgress(now).map((request) => ({
      key: requestKey(request.id),
      value: 'IN_PROGRESS',
      settlesAt: settlesAtOrHeld(request.completesAt),
    }));
  }

  history(statusKey: string, now: Date): StatusHistory | undefined {
    const request = this.requestsById.get(statusKey.slice('creation:'.length));
    if (request === undefined) return undefined;
    const phase = { startsAt: request.requestedAt, value: 'IN_PROGRESS', settlesAt: request.completesAt, settled: request.outcome.state };
    return historyOf([phase], null, false, now);
  }

  private requestsInProgress(now: Date): CreateAccountRequestRecord[] {
    const found: CreateAccountRequestRecord[] = [];
    for (const id of this.unsettled) {
      const request = this.requestsById.get(id)!;
      if (request.completesAt > now) found.push(request);
      else this.unsettled.delete(id);
    }
    return found;
  }

  /** Moves the completion of a request still in progress at `now`, and the joining of the account it creates. */
  reschedule(statusKey: string, now: Date, completesAt: Date): void {
    const request = this.requestsById.get(statusKey.slice('creation:'.length));
    if (request === undefined || request.completesAt <= now) return;
    const moved = { ...request, completesAt };
    this.requests[this.requests.lastIndexOf(request)] = moved;
    this.requestsById.set(moved.id, moved);
    if (moved.outcome.state === 'SUCCEEDED') {
      const account = this.accountsById.get(moved.outcome.accountId)!;
      this.accounts.splice(this.accounts.lastIndexOf(account), 1);
      this.placeByJoiningTime({ ...account, joinedAt: completesAt });
    }
  }

  /** Inserts an account after every account that joins no later than it: the list stays in joining order. */
  private placeByJoiningTime(account: AccountRecord): void {
    let index = this.accounts.length;
    while (index > 0 && this.accounts[index - 1]!.joinedAt > account.joinedAt) index--;
    this.accounts.splice(index, 0, account);
    this.accountsById.set(account.id, account);
  }

  /** What a request shows at `now`. */
  statusOf(request: CreateAccountRequestRecord, now: Date): CreateAccountStatusView {
    const base = { id: request.id, accountName: request.accountName, requestedAt: request.requestedAt };
    if (request.completesAt > now) return { ...base, state: 'IN_PROGRESS' };
    const { outcome } = request;
    return outcome.state === 'SUCCEEDED'
      ? { ...base, state: 'SUCCEEDED', completedAt: request.completesAt, accountId: outcome.accountId }
      : { ...base, state: 'FAILED', completedAt: request.completesAt, failureReason: outcome.failureReason };
  }

  private decideOutcome(request: NewAccountRequest, completesAt: Date): CreateAccountOutcome {
    const email = request.email.toLowerCase();
    if (this.claimedEmails.has(email)) return { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' };
    // Accounts still being created count against the quota, as closed and suspended ones do on AWS.
    if (this.accounts.length + 1 > this.maxAccounts) return { state: 'FAILED', failureReason: 'ACCOUNT_LIMIT_EXCEEDED' };
    const account: AccountRecord = {
      id: this.newAccountId(),
      name: request.accountName,
      email: request.email,
      state: 'ACTIVE',
      joinedMethod: 'CREATED',
      joinedAt: completesAt,
      memberRoleName: request.roleName ?? DEFAULT_MEMBER_ROLE_NAME,
    };
    this.placeByJoiningTime(account);
    this.claimedEmails.add(email);
    return { state: 'SUCCEEDED', accountId: account.id };
  }

  private newAccountId(): string {
    for (;;) {
      const id = this.random.accountId();
      if (!this.accountsById.has(id)) return id;
    }
  }

  private newRequestId(): string {
    for (;;) {
      const id = `car-${this.random.lowercaseAlphanumeric(32)}`;
      if (!this.requestsById.has(id)) return id;
    }
  }
}

/** Creation requests are followed by id: `creation:<request id>`. */
function requestKey(requestId: string): string {
  return `creation:${requestId}`;
}
