// The seeded demo organization: a deterministic function of the member count and the seed, in which every state of
// every status appears at start (from 12 members on) in proportions an organization of 1,000 accounts might show —
// mostly settled, a few in flight. Timestamps are placed relative to the moment the emulator starts.
import {
  type EnrollmentRecord,
  type EnrollmentStatus,
} from './compute-optimizer.js';
import { foreignRoleMessage, type RegistrationRecord } from './fleetwise.js';
import { MANAGEMENT_ACCOUNT_ID } from './identity.js';
import {
  DEFAULT_MEMBER_ROLE_NAME,
  type AccountRecord,
  type AccountState,
  type CreateAccountRequestRecord,
  type JoinedMethod,
} from './organization-state.js';
import { SeededRandom } from './random.js';

export interface DemoOrganizationOptions {
  /** Member accounts joined at start (the management account not included). */
  readonly memberAccounts: number;
  readonly seed: number;
  /** The emulator's start: statuses in flight began at this moment. */
  readonly startedAt: Date;
  /** How long statuses in flight take to settle, in milliseconds. */
  readonly delayMs: number;
}

export interface DemoOrganization {
  readonly organizationId: string;
  readonly management: AccountRecord;
  /** Joined members in joining order, then the account the in-progress creation request will add. */
  readonly members: readonly AccountRecord[];
  /** Creation requests in the order they were made; the one in progress is last. */
  readonly creationRequests: readonly CreateAccountRequestRecord[];
  readonly enrollments: ReadonlyArray<readonly [string, EnrollmentRecord]>;
  /** FleetWise registrations (us-east-1 for most, eu-central-1 for some). */
  readonly registrations: readonly RegistrationRecord[];
}

/** Share of members in each less common state; the most common state takes the rest. */
const ACCOUNT_STATE_SHARES: Shares<AccountState> = [
  ['SUSPENDED', 0.02],
  ['PENDING_CLOSURE', 0.01],
  ['CLOSED', 0.01],
  ['PENDING_ACTIVATION', 0.005],
];
const INVITED_SHARE: Shares<JoinedMethod> = [['INVITED', 0.25]];
const ENROLLMENT_SHARES: Shares<EnrollmentStatus> = [
  ['Inactive', 0.12],
  ['Pending', 0.02],
  ['Failed', 0.02],
];
type DemoRegistration = 'NONE' | 'SUCCESS' | 'PENDING' | 'FAILURE';
const US_EAST_REGISTRATION_SHARES: Shares<DemoRegistration> = [
  ['SUCCESS', 0.45],
  ['FAILURE', 0.04],
  ['PENDING', 0.02],
];
const EU_CENTRAL_REGISTRATION_SHARES: Shares<DemoRegistration> = [
  ['SUCCESS', 0.1],
  ['FAILURE', 0.01],
];
/** Creation requests that failed because the email already had an account, per member. */
const FAILED_REQUEST_SHARE = 0.01;
/** Registered accounts that still carry the deprecated Timestream resources. */
const TIMESTREAM_SHARE = 0.3;

const MINUTE_S = 60;
const DAY_S = 24 * 60 * MINUTE_S;
const YEAR_S = 365 * DAY_S;
/** How long AWS takes to register an account with FleetWise, for registrations that settled before the start. */
const FLEETWISE_REGISTRATION_S = 5 * MINUTE_S;
const FLEETWISE_ROLE_NAME = 'IoTFleetWiseServiceRole';

export const TEAMS = [
  'payments', 'telemetry', 'fleet-ops', 'vehicle-data', 'ota-updates', 'maps', 'billing', 'identity',
  'analytics', 'ml-platform', 'edge-gateway', 'diagnostics', 'charging', 'infotainment', 'logistics', 'security',
  'networking', 'observability', 'data-lake', 'customer-portal', 'dealer-services', 'warranty', 'supply-chain',
  'simulation',
] as const;
export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox', 'qa', 'dr'] as const;
const EMAIL_DOMAINS = ['example.com', 'eu.example.com', 'labs.example.com'] as const;

const ENROLLMENT_FAILURE_REASON =
  'Compute Optimizer could not create the service-linked role AWSServiceRoleForComputeOptimizer in the account.';
const ENROLLMENT_PENDING_REASON = 'Compute Optimizer is enrolling the account. This can take a few minutes.';

type Shares<T> = ReadonlyArray<readonly [T, number]>;

export function buildDemoOrganization(options: DemoOrganizationOptions): DemoOrganization {
  const random = new SeededRandom(options.seed);
  const start = options.startedAt;
  const memberCount = options.memberAccounts;
  const organizationId = `o-${random.lowercaseAlphanumeric(10)}`;
  const identities = accountIdentities(memberCount + 1, random);

  const management: AccountRecord = {
    id: MANAGEMENT_ACCOUNT_ID,
    name: 'management',
    email: 'aws-management@example.com',
    state: 'ACTIVE',
    // AWS reports the account that created the organization as INVITED.
    joinedMethod: 'INVITED',
    joinedAt: before(start, 8 * YEAR_S),
    memberRoleName: undefined,
  };

  const states = distribute(memberCount, 'ACTIVE', ACCOUNT_STATE_SHARES, random);
  const joinedMethods = distribute(memberCount, 'CREATED', INVITED_SHARE, random);
  // Activation follows creation: an account still PENDING_ACTIVATION was created, not invited.
  states.forEach((state, index) => {
    if (state !== 'PENDING_ACTIVATION' || joinedMethods[index] === 'CREATED') return;
    const swap = joinedMethods.findIndex((method, other) => method === 'CREATED' && states[other] !== 'PENDING_ACTIVATION');
    if (swap >= 0) [joinedMethods[index], joinedMethods[swap]] = [joinedMethods[swap]!, joinedMethods[index]!];
  });

  const joined = identities.slice(0, memberCount).map((identity, index): AccountRecord => {
    const state = states[index]!;
    const joinedAt =
      state === 'PENDING_ACTIVATION'
        ? before(start, random.integer(10, 180) * MINUTE_S)
        : before(start, random.integer(2 * DAY_S, 7 * YEAR_S));
    return accountRecord(identity, state, joinedMethods[index]!, joinedAt, DEFAULT_MEMBER_ROLE_NAME);
  });
  joined.sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());

  // One member has no role the management account can assume, so a partial failure shows; an invited one, as
  // invited accounts get the role only when someone creates it.
  // Not a suspended, closing or closed one: AWS lets no one into those anyway, so the failure would not show.
  const reachable = joined.filter((account) => !['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'].includes(account.state));
  const invited = reachable.filter((account) => account.joinedMethod === 'INVITED');
  const withoutRole = reachable.length > 0 ? random.pick(invited.length > 0 ? invited : reachable) : undefined;
  const members = joined.map((member) =>
    member === withoutRole ? accountRecord(member, member.state, member.joinedMethod, member.joinedAt, undefined) : member,
  );

  const { requests, pendingAccount } = creationRequests(members, identities[memberCount]!, options, random);
  return {
    organizationId,
    management,
    members: [...members, pendingAccount],
    creationRequests: requests,
    enrollments: enrollments(management, members, options, random),
    registrations: registrations(
      management,
      reachable.filter((account) => account !== withoutRole),
      options,
      random,
    ),
  };
}

/**
 * Exactly `count` values: each less common value max(1, round(share × count)) times (while room remains for one
 * of the common value), the common value the rest, in a seeded order.
 */
export function distribute<T>(count: number, common: T, shares: Shares<T>, random: SeededRandom): T[] {
  const values: T[] = [];
  for (const [value, share] of shares) {
    const wanted = Math.max(1, Math.round(share * count));
    const room = count - 1 - values.length;
    for (let i = 0; i < Math.min(wanted, room); i++) values.push(value);
  }
  while (values.length < count) values.push(common);
  return random.shuffle(values);
}

type AccountIdentity = Pick<AccountRecord, 'id' | 'name' | 'email'>;

/** Unique ids, and unique team/environment names with their emails. */
function accountIdentities(count: number, random: SeededRandom): AccountIdentity[] {
  const combinations = random.shuffle(TEAMS.flatMap((team) => ENVIRONMENTS.map((environment) => ({ team, environment }))));
  const ids = new Set<string>([MANAGEMENT_ACCOUNT_ID]);
  const identities: AccountIdentity[] = [];
  for (let index = 0; index < count; index++) {
    let id = random.accountId();
    while (ids.has(id)) id = random.accountId();
    ids.add(id);
    const { team, environment } = combinations[index % combinations.length]!;
    const round = Math.floor(index / combinations.length);
    const name = round === 0 ? `${team}-${environment}` : `${team}-${environment}-${round + 1}`;
    const domain = EMAIL_DOMAINS[TEAMS.indexOf(team) % EMAIL_DOMAINS.length]!;
    identities.push({ id, name, email: `aws+${name}@${domain}` });
  }
  return identities;
}

/**
 * A SUCCEEDED request for every created member, a few FAILED ones that reused an existing account's email (they
 * created nothing), and one IN_PROGRESS request that adds an account when it completes after the delay.
 */
function creationRequests(
  members: readonly AccountRecord[],
  newcomer: AccountIdentity,
  options: DemoOrganizationOptions,
  random: SeededRandom,
): { requests: CreateAccountRequestRecord[]; pendingAccount: AccountRecord } {
  const requestIds = new Set<string>();
  const requestId = (): string => {
    let id = `car-${random.lowercaseAlphanumeric(32)}`;
    while (requestIds.has(id)) id = `car-${random.lowercaseAlphanumeric(32)}`;
    requestIds.add(id);
    return id;
  };
  const requests: CreateAccountRequestRecord[] = members
    .filter((account) => account.joinedMethod === 'CREATED')
    .map((account) => ({
      id: requestId(),
      accountName: account.name,
      requestedAt: before(account.joinedAt, random.integer(1 * MINUTE_S, 10 * MINUTE_S)),
      completesAt: account.joinedAt,
      outcome: { state: 'SUCCEEDED', accountId: account.id },
    }));

  const failedCount = members.length === 0 ? 0 : Math.max(1, Math.round(FAILED_REQUEST_SHARE * members.length));
  for (let i = 0; i < failedCount; i++) {
    const duplicated = random.pick(members);
    const requestedAt = between(duplicated.joinedAt, before(options.startedAt, DAY_S), random);
    requests.push({
      id: requestId(),
      accountName: duplicated.name,
      requestedAt,
      completesAt: after(requestedAt, random.integer(30, 3 * MINUTE_S)),
      outcome: { state: 'FAILED', failureReason: 'EMAIL_ALREADY_EXISTS' },
    });
  }
  requests.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime());

  const completesAt = new Date(options.startedAt.getTime() + options.delayMs);
  const pendingAccount = accountRecord(newcomer, 'ACTIVE', 'CREATED', completesAt, DEFAULT_MEMBER_ROLE_NAME);
  requests.push({
    id: requestId(),
    accountName: newcomer.name,
    requestedAt: options.startedAt,
    completesAt,
    outcome: { state: 'SUCCEEDED', accountId: newcomer.id },
  });
  return { requests, pendingAccount };
}

/** The management account enrolled itself and its members; since then some opted out, a few failed or are pending. */
function enrollments(
  management: AccountRecord,
  members: readonly AccountRecord[],
  options: DemoOrganizationOptions,
  random: SeededRandom,
): Array<readonly [string, EnrollmentRecord]> {
  const start = options.startedAt;
  const organizationEnrolledAt = before(start, random.integer(200 * DAY_S, 500 * DAY_S));
  const records: Array<readonly [string, EnrollmentRecord]> = [
    [management.id, { status: 'Active', updatedAt: organizationEnrolledAt, memberAccountsEnrolled: true }],
  ];
  const statuses = distribute(members.length, 'Active', ENROLLMENT_SHARES, random);
  members.forEach((account, index) => {
    const enrolledAt = latest(organizationEnrolledAt, account.joinedAt);
    const status = statuses[index]!;
    const record: EnrollmentRecord =
      status === 'Active'
        ? { status, updatedAt: enrolledAt }
        : status === 'Inactive'
          ? { status, updatedAt: between(enrolledAt, start, random) }
          : status === 'Pending'
            ? {
                status,
                statusReason: ENROLLMENT_PENDING_REASON,
                updatedAt: start,
                activeFrom: new Date(start.getTime() + options.delayMs),
              }
            : { status, statusReason: ENROLLMENT_FAILURE_REASON, updatedAt: between(enrolledAt, start, random) };
    records.push([account.id, record]);
  });
  return records;
}

/** FleetWise registrations of the management account and of members whose role the management account can use. */
function registrations(
  management: AccountRecord,
  members: readonly AccountRecord[],
  options: DemoOrganizationOptions,
  random: SeededRandom,
): RegistrationRecord[] {
  const records: RegistrationRecord[] = [settledRegistration(management, 'us-east-1', 'SUCCESS', options, random)];
  const regions = [
    ['us-east-1', US_EAST_REGISTRATION_SHARES],
    ['eu-central-1', EU_CENTRAL_REGISTRATION_SHARES],
  ] as const;
  for (const [region, shares] of regions) {
    const outcomes = distribute(members.length, 'NONE', shares, random);
    members.forEach((account, index) => {
      const outcome = outcomes[index]!;
      if (outcome === 'NONE') return;
      if (outcome === 'PENDING') {
        records.push({
          accountId: account.id,
          region,
          roleArn: roleArn(account.id),
          creationTime: options.startedAt,
          requestedAt: options.startedAt,
          settlesAt: new Date(options.startedAt.getTime() + options.delayMs),
          outcome: 'REGISTRATION_SUCCESS',
        });
      } else {
        records.push(settledRegistration(account, region, outcome, options, random));
      }
    });
  }
  return records;
}

function settledRegistration(
  account: AccountRecord,
  region: string,
  outcome: 'SUCCESS' | 'FAILURE',
  options: DemoOrganizationOptions,
  random: SeededRandom,
): RegistrationRecord {
  const latestStart = before(options.startedAt, FLEETWISE_REGISTRATION_S);
  const requestedAt = between(latest(account.joinedAt, before(options.startedAt, 3 * YEAR_S)), latestStart, random);
  const settlesAt = after(requestedAt, FLEETWISE_REGISTRATION_S);
  if (outcome === 'FAILURE') {
    // Registered with a role of the management account, which FleetWise cannot assume from the member account.
    const foreignRole = roleArn(MANAGEMENT_ACCOUNT_ID);
    return {
      accountId: account.id,
      region,
      roleArn: foreignRole,
      creationTime: requestedAt,
      requestedAt,
      settlesAt,
      outcome: 'REGISTRATION_FAILURE',
      errorMessage: foreignRoleMessage(foreignRole, account.id),
    };
  }
  const timestream = random.chance(TIMESTREAM_SHARE)
    ? { databaseName: `${account.name}-telemetry`, tableName: 'vehicle-signals' }
    : undefined;
  return {
    accountId: account.id,
    region,
    roleArn: roleArn(account.id),
    timestream,
    creationTime: requestedAt,
    requestedAt,
    settlesAt,
    outcome: 'REGISTRATION_SUCCESS',
  };
}

function accountRecord(
  identity: AccountIdentity,
  state: AccountState,
  joinedMethod: JoinedMethod,
  joinedAt: Date,
  memberRoleName: string | undefined,
): AccountRecord {
  return { id: identity.id, name: identity.name, email: identity.email, state, joinedMethod, joinedAt, memberRoleName };
}

function roleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/${FLEETWISE_ROLE_NAME}`;
}

function before(moment: Date, seconds: number): Date {
  return new Date(moment.getTime() - seconds * 1000);
}

function after(moment: Date, seconds: number): Date {
  return new Date(moment.getTime() + seconds * 1000);
}

function latest(a: Date, b: Date): Date {
  return a > b ? a : b;
}

/** A whole second between two moments (the earlier one when they are in the wrong order). */
function between(from: Date, to: Date, random: SeededRandom): Date {
  const spanSeconds = Math.floor((to.getTime() - from.getTime()) / 1000);
  return spanSeconds <= 0 ? from : after(from, random.integer(0, spanSeconds));
}
