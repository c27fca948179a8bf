// AWS Compute Optimizer as the emulator serves it: enrollment (opt-in) per account, the same in every region, and
// the organization-wide view for the management account. Opting in passes through Pending for the configured delay.
import { AwsServiceError, type OperationContext, type ServiceDefinition } from '../core/types.js';
import type { InFlightTransition, StatusHistory } from '../core/world-control.js';
import type { Organization } from './organization-state.js';
import { decodePageToken, encodePageToken, readPage } from './pagination.js';
import {
  checkInteger,
  checkString,
  parseBoolean,
  parseInteger,
  serializationError,
  validationMessage,
  type Violation,
} from './validation.js';
import { completionTime, historyOf, NO_HOLDS, settlesAtOrHeld, Timeline, type TransitionGate, type TransitionSource } from './transitions.js';

export const ENROLLMENT_STATUSES = ['Active', 'Inactive', 'Pending', 'Failed'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** The statuses UpdateEnrollmentStatus accepts; Pending and Failed are only ever reported. */
const SETTABLE_STATUSES = ['Active', 'Inactive'] as const;
/** GetEnrollmentStatusesForOrganization maxResults bounds and default, in account statuses per page. */
const ORGANIZATION_PAGE_SIZE = { min: 0, max: 1000, default: 100 } as const;
const FILTER_NAMES = ['Status'] as const;
const PENDING_REASON = 'Compute Optimizer is enrolling the account. This can take a few minutes.';
const MEMBERS_PENDING_REASON = 'Member accounts of the organization require more time to be enrolled.';

export interface EnrollmentRecord {
  readonly status: EnrollmentStatus;
  readonly statusReason?: string;
  readonly updatedAt: Date;
  /** For a Pending enrollment: the moment it completes and the status becomes Active. */
  readonly activeFrom?: Date;
  /** Management account only: its member accounts were enrolled along with it. */
  readonly memberAccountsEnrolled?: boolean;
}

/** An account's enrollment as it stands at one moment. */
export interface EnrollmentView {
  readonly status: EnrollmentStatus;
  readonly statusReason?: string;
  /** Undefined for an account that never opted in or out. */
  readonly lastUpdatedTimestamp?: Date;
  readonly memberAccountsEnrolled: boolean;
}

/** Enrollment records by account id; an account without one has never opted in (Inactive). */
export class ComputeOptimizerEnrollments implements TransitionSource {
  readonly kind = 'enrollment';
  /** Per account, its opt-ins and opt-outs, newest last. */
  private readonly timelines = new Map<string, Timeline<EnrollmentRecord>>();

  constructor(
    initial: Iterable<readonly [string, EnrollmentRecord]>,
    private readonly delayMs: number,
    private readonly gate: TransitionGate = NO_HOLDS,
  ) {
    for (const [accountId, record] of initial) this.timelines.set(accountId, new Timeline(record));
  }

  statusOf(accountId: string, now: Date): EnrollmentView {
    const record = this.timelines.get(accountId)?.current;
    if (record === undefined) return { status: 'Inactive', memberAccountsEnrolled: false };
    const memberAccountsEnrolled = record.memberAccountsEnrolled ?? false;
    if (record.status === 'Pending' && record.activeFrom !== undefined && record.activeFrom <= now) {
      return { status: 'Active', lastUpdatedTimestamp: record.activeFrom, memberAccountsEnrolled };
    }
    return {
      status: record.status,
      ...(record.statusReason !== undefined && { statusReason: record.statusReason }),
      lastUpdatedTimestamp: record.updatedAt,
      memberAccountsEnrolled,
    };
  }

  /**
   * Opts an account in: Pending now, Active after the delay. An account already Active or Pending stays as it is.
   * `memberAccountsEnrolled` (management account) is remembered when given and kept when not.
   */
  optIn(accountId: string, now: Date, memberAccountsEnrolled?: boolean): void {
    const timeline = this.timelines.get(accountId);
    const current = timeline?.current;
    const enrolled = memberAccountsEnrolled ?? current?.memberAccountsEnrolled;
    const status = this.statusOf(accountId, now).status;
    if (current !== undefined && (status === 'Active' || status === 'Pending')) {
      if (enrolled !== current.memberAccountsEnrolled) timeline!.replaceCurrent({ ...current, memberAccountsEnrolled: enrolled });
      return;
    }
    this.record(accountId, {
      status: 'Pending',
      statusReason: enrolled ? MEMBERS_PENDING_REASON : PENDING_REASON,
      updatedAt: now,
      activeFrom: completionTime(this.gate, key(accountId), now, this.delayMs),
      ...(enrolled !== undefined && { memberAccountsEnrolled: enrolled }),
    });
  }

  /** Opts an account out at once. Members the management account enrolled stay enrolled. */
  optOut(accountId: string, now: Date): void {
    const enrolled = this.timelines.get(accountId)?.current?.memberAccountsEnrolled;
    this.record(accountId, {
      status: 'Inactive',
      updatedAt: now,
      ...(enrolled !== undefined && { memberAccountsEnrolled: enrolled }),
    });
  }

  inFlight(now: Date): InFlightTransition[] {
    const found: InFlightTransition[] = [];
    for (const [accountId, timeline] of this.timelines) {
      const activeFrom = pendingUntil(timeline.current!, now);
      if (activeFrom !== undefined) found.push({ key: key(accountId), value: 'Pending', settlesAt: settlesAtOrHeld(activeFrom) });
    }
    return found;
  }

  history(statusKey: string, now: Date): StatusHistory | undefined {
    const accountId = statusKey.split(':')[1];
    if (accountId === undefined) return undefined;
    const timeline = this.timelines.get(accountId);
    const phases = (timeline?.records ?? []).map((record) => ({
      startsAt: record.updatedAt,
      value: record.status,
      ...(record.status === 'Pending' && record.activeFrom !== undefined && { settlesAt: record.activeFrom, settled: 'Active' }),
    }));
    return historyOf(phases, 'Inactive', timeline?.truncated ?? false, now);
  }

  private record(accountId: string, record: EnrollmentRecord): void {
    const timeline = this.timelines.get(accountId);
    if (timeline) timeline.push(record);
    else this.timelines.set(accountId, new Timeline(record));
  }

  /** Moves the end of an opt-in still Pending at `now`. */
  reschedule(statusKey: string, now: Date, activeFrom: Date): void {
    const timeline = this.timelines.get(statusKey.split(':')[1] ?? '');
    const record = timeline?.current;
    if (record !== undefined && pendingUntil(record, now) !== undefined) timeline!.replaceCurrent({ ...record, activeFrom });
  }
}

/** Enrollments are per account: `enrollment:<account>`. */
function key(accountId: string): string {
  return `enrollment:${accountId}`;
}

/** When a record still Pending at `now` becomes Active; undefined if it is not Pending then. */
function pendingUntil(record: EnrollmentRecord, now: Date): Date | undefined {
  return record.status === 'Pending' && record.activeFrom !== undefined && record.activeFrom > now ? record.activeFrom : undefined;
}

export function computeOptimizerService(organization: Organization, enrollments: ComputeOptimizerEnrollments): ServiceDefinition {
  return {
    signingName: 'compute-optimizer',
    protocols: ['awsJson1_0', 'rpcv2Cbor'],
    targetPrefix: 'ComputeOptimizerService',
    smithyServiceName: 'ComputeOptimizerService',
    errorNamespace: 'com.amazonaws.computeoptimizer',
    throttling: { code: 'ThrottlingException', status: 429 },
    operations: {
      GetEnrollmentStatus: (_input, ctx) => getEnrollmentStatus(organization, enrollments, ctx),
      GetEnrollmentStatusesForOrganization: (input, ctx) =>
        getEnrollmentStatusesForOrganization(organization, enrollments, input, ctx),
      UpdateEnrollmentStatus: (input, ctx) => updateEnrollmentStatus(organization, enrollments, input, ctx),
    },
  };
}

function getEnrollmentStatus(
  organization: Organization,
  enrollments: ComputeOptimizerEnrollments,
  ctx: OperationContext,
): Record<string, unknown> {
  const accountId = ctx.caller.accountId;
  const view = enrollments.statusOf(accountId, ctx.now);
  const isManagement = organization.isManagementAccount(accountId);
  return {
    status: view.status,
    statusReason: view.statusReason,
    memberAccountsEnrolled: isManagement && view.memberAccountsEnrolled,
    lastUpdatedTimestamp: view.lastUpdatedTimestamp,
    numberOfMemberAccountsOptedIn: isManagement ? countOptedInMembers(organization, enrollments, ctx.now) : undefined,
  };
}

function getEnrollmentStatusesForOrganization(
  organization: Organization,
  enrollments: ComputeOptimizerEnrollments,
  input: Record<string, unknown>,
  ctx: OperationContext,
): Record<string, unknown> {
  if (!organization.isManagementAccount(ctx.caller.accountId)) {
    throw new AwsServiceError(
      'AccessDeniedException',
      'Only the management account of an organization can get the enrollment statuses of its member accounts.',
      403,
    );
  }
  const pageSize = readMaxResults(input.maxResults);
  const statuses = readStatusFilter(input.filters);
  const joined = organization.joinedAccountCount(ctx.now);
  // Position 0 is the management account: the organization view lists members only.
  const start = readNextToken(input.nextToken, 'GetEnrollmentStatusesForOrganization', joined) ?? 1;
  const page = readPage(joined, Math.max(start, 1), pageSize, (index) => {
    const accountId = organization.accountAt(index).id;
    const view = enrollments.statusOf(accountId, ctx.now);
    if (statuses !== undefined && !statuses.has(view.status)) return undefined;
    return {
      accountId,
      status: view.status,
      statusReason: view.statusReason,
      lastUpdatedTimestamp: view.lastUpdatedTimestamp,
    };
  });
  return {
    accountEnrollmentStatuses: page.items,
    nextToken: page.next === undefined ? undefined : encodePageToken('GetEnrollmentStatusesForOrganization', page.next),
  };
}

function updateEnrollmentStatus(
  organization: Organization,
  enrollments: ComputeOptimizerEnrollments,
  input: Record<string, unknown>,
  ctx: OperationContext,
): Record<string, unknown> {
  rejectInvalid([checkString(input.status, 'status', { required: true, oneOf: SETTABLE_STATUSES })]);
  const includeMemberAccounts = input.includeMemberAccounts == null ? false : parseBoolean(input.includeMemberAccounts);
  if (includeMemberAccounts === undefined) throw serializationError("Value at 'includeMemberAccounts' must be a boolean.");
  const accountId = ctx.caller.accountId;
  const isManagement = organization.isManagementAccount(accountId);
  if (includeMemberAccounts && !isManagement) {
    throw new AwsServiceError(
      'InvalidParameterValueException',
      'includeMemberAccounts can be set only by the management account of an organization.',
      400,
    );
  }
  if (input.status === 'Active') {
    enrollments.optIn(accountId, ctx.now, isManagement && includeMemberAccounts ? true : undefined);
    if (includeMemberAccounts) {
      const joined = organization.joinedAccountCount(ctx.now);
      for (let index = 1; index < joined; index++) enrollments.optIn(organization.accountAt(index).id, ctx.now);
    }
  } else {
    enrollments.optOut(accountId, ctx.now);
  }
  const view = enrollments.statusOf(accountId, ctx.now);
  return { status: view.status, statusReason: view.statusReason };
}

function countOptedInMembers(organization: Organization, enrollments: ComputeOptimizerEnrollments, now: Date): number {
  const joined = organization.joinedAccountCount(now);
  let count = 0;
  for (let index = 1; index < joined; index++) {
    if (enrollments.statusOf(organization.accountAt(index).id, now).status === 'Active') count++;
  }
  return count;
}

function readMaxResults(value: unknown): number {
  rejectInvalid([checkInteger(value, 'maxResults', { min: ORGANIZATION_PAGE_SIZE.min, max: ORGANIZATION_PAGE_SIZE.max })]);
  return parseInteger(value) ?? ORGANIZATION_PAGE_SIZE.default;
}

/** The statuses a `[{name: "Status", values: [...]}]` filter asks for; undefined when there is no filter. */
function readStatusFilter(value: unknown): Set<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError("Value at 'filters' must be a list of filters.");
  let statuses: Set<string> | undefined;
  value.forEach((filter: unknown, index) => {
    const path = `filters.${index + 1}`;
    if (typeof filter !== 'object' || filter === null) throw serializationError(`Value at '${path}' must be a filter.`);
    const { name, values } = filter as { name?: unknown; values?: unknown };
    rejectInvalid([checkString(name, `${path}.member.name`, { required: true, oneOf: FILTER_NAMES })]);
    if (!Array.isArray(values) || values.length === 0) {
      throw invalidParameter(`Value at '${path}.member.values' must be a non-empty list of statuses.`);
    }
    rejectInvalid(
      values.map((status: unknown, valueIndex) =>
        checkString(status, `${path}.member.values.${valueIndex + 1}.member`, { oneOf: ENROLLMENT_STATUSES }),
      ),
    );
    // Several Status filters narrow together: an account must match each of them.
    const these = new Set(values as string[]);
    statuses = statuses === undefined ? these : new Set([...statuses].filter((status) => these.has(status)));
  });
  return statuses;
}

function readNextToken(value: unknown, operation: string, limit: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const position = typeof value === 'string' ? decodePageToken(operation, value) : undefined;
  if (position === undefined || position > limit) throw invalidParameter('The nextToken is not valid.');
  return position;
}

function rejectInvalid(checks: readonly (Violation | undefined)[]): void {
  const found = checks.filter((check): check is Violation => check !== undefined);
  if (found.length === 0) return;
  if (found[0]!.kind === 'type') throw serializationError(found[0]!.message);
  throw invalidParameter(validationMessage(found));
}

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterValueException', message, 400);
}
