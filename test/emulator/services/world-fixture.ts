// A world for handler-level tests: the real services over a demo organization, a clock the test moves by hand,
// and callers established through the real identity store, as the protocol core would establish them.
import { expect } from 'vitest';
import { AwsServiceError, type Caller, type IdentityStore, type ServiceDefinition } from '../../../src/emulator/core/types.js';
import type { WorldControl } from '../../../src/emulator/core/world-control.js';
import { createAwsWorld, type AwsWorldOptions } from '../../../src/emulator/services/index.js';

export const START = new Date('2030-03-01T12:00:00.000Z');
export const MANAGEMENT = '000000000000';
type SigningName = 'sts' | 'organizations' | 'compute-optimizer' | 'iotfleetwise';
type Output = Record<string, unknown>;

export interface TestWorld {
  readonly now: Date;
  /** Moves the emulator clock forward. */
  advance(milliseconds: number): void;
  /** Calls an operation's handler as the holder of an access key (`test`, a 12-digit account id, or an ASIA… key). */
  call(service: SigningName, operation: string, input?: Output, as?: { accessKeyId?: string; region?: string }): Promise<Output>;
  /** The error a call fails with (the test fails when it succeeds). */
  failure(service: SigningName, operation: string, input?: Output, as?: { accessKeyId?: string; region?: string }): Promise<AwsServiceError>;
  service(name: SigningName): ServiceDefinition;
  readonly identity: IdentityStore;
  /** The world's control (hold, release, history, sessions); pass it `now`. */
  readonly control: WorldControl;
  lookupCaller(accessKeyId: string, region?: string): Caller;
}

export function testWorld(options: Partial<AwsWorldOptions> = {}): TestWorld {
  let now = START;
  const world = createAwsWorld({ memberAccounts: 12, delayMs: 60_000, seed: 7, clock: () => now, ...options });
  const service = (name: SigningName): ServiceDefinition => {
    const found = world.services.find((candidate) => candidate.signingName === name);
    if (found === undefined) throw new Error(`no service ${name}`);
    return found;
  };
  const lookupCaller = (accessKeyId: string, region = 'us-east-1'): Caller => {
    const credentials = world.identity.lookup(accessKeyId);
    if (credentials === undefined) throw new Error(`unknown access key ${accessKeyId}`);
    return { accountId: credentials.accountId, arn: credentials.arn, userId: credentials.userId, accessKeyId, region };
  };
  const call: TestWorld['call'] = async (name, operation, input = {}, as = {}) => {
    const handler = service(name).operations[operation];
    if (handler === undefined) throw new Error(`no operation ${name}:${operation}`);
    return handler(input, { caller: lookupCaller(as.accessKeyId ?? 'test', as.region), now });
  };
  return {
    get now() {
      return now;
    },
    advance(milliseconds) {
      now = new Date(now.getTime() + milliseconds);
    },
    call,
    async failure(name, operation, input = {}, as = {}) {
      try {
        await call(name, operation, input, as);
      } catch (error) {
        expect(error).toBeInstanceOf(AwsServiceError);
        return error as AwsServiceError;
      }
      throw new Error(`${name}:${operation} succeeded but was expected to fail`);
    },
    service,
    identity: world.identity,
    control: world.control,
    lookupCaller,
  };
}

/** Every item of a paginated operation, following its token to the end; also returns the page sizes seen. */
export async function readAll(
  world: TestWorld,
  service: SigningName,
  operation: string,
  items: string,
  tokens: { input: string; output: string },
  input: Output = {},
  as?: { accessKeyId?: string; region?: string },
): Promise<{ items: Output[]; pageSizes: number[] }> {
  const all: Output[] = [];
  const pageSizes: number[] = [];
  let token: unknown;
  do {
    const page = await world.call(service, operation, { ...input, ...(token !== undefined && { [tokens.input]: token }) }, as);
    const pageItems = page[items] as Output[];
    all.push(...pageItems);
    pageSizes.push(pageItems.length);
    token = page[tokens.output];
  } while (token !== undefined);
  return { items: all, pageSizes };
}

export const ORGANIZATIONS_TOKENS = { input: 'NextToken', output: 'NextToken' } as const;
export const COMPUTE_OPTIMIZER_TOKENS = { input: 'nextToken', output: 'nextToken' } as const;

export async function allAccounts(world: TestWorld): Promise<Output[]> {
  return (await readAll(world, 'organizations', 'ListAccounts', 'Accounts', ORGANIZATIONS_TOKENS)).items;
}

export async function allCreationRequests(world: TestWorld, input: Output = {}): Promise<Output[]> {
  return (await readAll(world, 'organizations', 'ListCreateAccountStatus', 'CreateAccountStatuses', ORGANIZATIONS_TOKENS, input))
    .items;
}

export async function allMemberEnrollments(world: TestWorld, input: Output = {}): Promise<Output[]> {
  return (
    await readAll(
      world,
      'compute-optimizer',
      'GetEnrollmentStatusesForOrganization',
      'accountEnrollmentStatuses',
      COMPUTE_OPTIMIZER_TOKENS,
      { maxResults: 1000, ...input },
    )
  ).items;
}

/** Counts of each value of a key over a list of records. */
export function countBy(records: readonly Output[], key: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) {
    const value = String(record[key]);
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}
