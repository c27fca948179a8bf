// The emulator's AWS world: the demo organization and the four services that read and change it (STS,
// Organizations, Compute Optimizer, IoT FleetWise), plus the identity store the protocol core verifies callers with.
import { randomInt } from 'node:crypto';
import type { IdentityStore, ServiceDefinition } from '../core/types.js';
import type { WorldControl } from '../core/world-control.js';
import { ComputeOptimizerEnrollments, computeOptimizerService } from './compute-optimizer.js';
import { buildDemoOrganization } from './demo-organization.js';
import { buildDemoTree, DEMO_BASE_UNIT_COUNT } from './demo-organization-tree.js';
import { FleetwiseRegistrations, fleetwiseService } from './fleetwise.js';
import { IdentityRegistry } from './identity.js';
import { Organization } from './organization-state.js';
import { MAX_ORGANIZATIONAL_UNITS } from './organization-tree.js';
import { organizationsService } from './organizations.js';
import { SeededRandom } from './random.js';
import { stsService } from './sts.js';
import { TransitionHolds, WorldTransitions } from './transitions.js';

export { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, MANAGEMENT_ACCOUNT_ID } from './identity.js';
export { DEFAULT_MEMBER_ROLE_NAME } from './organization-state.js';
export { FLEETWISE_REGIONS } from './fleetwise.js';

/** Member accounts the demo organization can have. */
export const MEMBER_ACCOUNTS_RANGE = { min: 1, max: 10_000 } as const;
/** Seed of the demo organization when none is given. */
export const DEFAULT_SEED = 2024;
/** Accounts the organization may grow by through CreateAccount beyond its demo members, by default. */
export const DEFAULT_ACCOUNT_HEADROOM = 50;
/** OUs the demo organization can have: its base tree at least, AWS's default quota at most. */
export const ORGANIZATIONAL_UNITS_RANGE = { min: DEMO_BASE_UNIT_COUNT, max: MAX_ORGANIZATIONAL_UNITS } as const;

export interface AwsWorldOptions {
  /** Member accounts of the demo organization at start, 1–10,000 (the management account comes on top). */
  readonly memberAccounts: number;
  /** How long every transition (creation, enrollment, registration) stays in flight, in milliseconds. */
  readonly delayMs: number;
  /** The emulator clock; read once, to place the demo organization's timestamps. @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * Seeds the demo organization and, when given, the ids handed out later (accounts, creation requests, OUs), so two
   * emulators started alike answer alike. Without it the demo is DEFAULT_SEED's and later ids are new at every start:
   * AWS never hands out an id twice, and a client that outlived a restarted emulator must not meet its old ids again.
   * @default DEFAULT_SEED
   */
  readonly seed?: number;
  /**
   * Account quota of the organization, management account included.
   * @default memberAccounts + 1 + DEFAULT_ACCOUNT_HEADROOM (the demo's pending creation takes one of the headroom)
   */
  readonly maxAccounts?: number;
  /** OUs of the demo organization's tree (team OUs are added beyond the base seven). @default 7 */
  readonly organizationalUnits?: number;
  /**
   * Answer the deprecated Account.Status beside State, as AWS did until 2026-09-09, for clients that still read it.
   * @default false
   */
  readonly legacyAccountStatus?: boolean;
}

export interface AwsWorld {
  readonly services: ServiceDefinition[];
  readonly identity: IdentityStore;
  /** Holds and releases transitions, answers status histories, invalidates sessions (the control API's). */
  readonly control: WorldControl;
}

/** Builds the demo organization and the services over it. Nothing runs in the background: state is read lazily. */
export function createAwsWorld(options: AwsWorldOptions): AwsWorld {
  const { memberAccounts, delayMs } = options;
  if (!Number.isInteger(memberAccounts) || memberAccounts < MEMBER_ACCOUNTS_RANGE.min || memberAccounts > MEMBER_ACCOUNTS_RANGE.max) {
    throw new RangeError(
      `memberAccounts must be an integer from ${MEMBER_ACCOUNTS_RANGE.min} to ${MEMBER_ACCOUNTS_RANGE.max}, got ${memberAccounts}`,
    );
  }
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`delayMs must be 0 or more, got ${delayMs}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const laterIdsSeed = options.seed ?? randomInt(2 ** 31);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const maxAccounts = options.maxAccounts ?? memberAccounts + 1 + DEFAULT_ACCOUNT_HEADROOM;
  if (!Number.isInteger(maxAccounts) || maxAccounts < memberAccounts + 1) {
    throw new RangeError(`maxAccounts must be an integer of at least memberAccounts + 1 (${memberAccounts + 1}), got ${maxAccounts}`);
  }

  const organizationalUnits = options.organizationalUnits ?? ORGANIZATIONAL_UNITS_RANGE.min;
  if (
    !Number.isInteger(organizationalUnits) ||
    organizationalUnits < ORGANIZATIONAL_UNITS_RANGE.min ||
    organizationalUnits > ORGANIZATIONAL_UNITS_RANGE.max
  ) {
    throw new RangeError(
      `organizationalUnits must be an integer from ${ORGANIZATIONAL_UNITS_RANGE.min} to ${ORGANIZATIONAL_UNITS_RANGE.max}, got ${organizationalUnits}`,
    );
  }

  const startedAt = (options.clock ?? (() => new Date()))();
  const demo = buildDemoOrganization({ memberAccounts, seed, startedAt, delayMs });
  const holds = new TransitionHolds();
  const organization = new Organization({
    id: demo.organizationId,
    management: demo.management,
    members: demo.members,
    creationRequests: demo.creationRequests,
    maxAccounts,
    delayMs,
    // Ids handed out later come from their own stream, so the demo stays the same whatever is created afterwards.
    random: new SeededRandom(laterIdsSeed + 1),
    gate: holds,
  });
  const tree = buildDemoTree({
    organizationId: demo.organizationId,
    managementAccountId: demo.management.id,
    members: demo.members.filter((member) => member.joinedAt <= startedAt),
    seed,
    laterIdsSeed,
    organizationalUnits,
  });
  const identity = new IdentityRegistry(demo.management.id);
  const enrollments = new ComputeOptimizerEnrollments(demo.enrollments, delayMs, holds);
  const registrations = new FleetwiseRegistrations(demo.registrations, delayMs, holds);
  return {
    services: [
      stsService(organization, identity),
      organizationsService(organization, tree, { legacyAccountStatus: options.legacyAccountStatus ?? false }),
      computeOptimizerService(organization, enrollments),
      fleetwiseService(registrations),
    ],
    identity,
    control: new WorldTransitions(holds, [registrations, enrollments, organization], identity),
  };
}
