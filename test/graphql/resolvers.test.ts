// How the schema's resolvers are called: plain fields by graphql's default resolver, the query side's methods directly
// (direct-resolvers.ts) — with the same answers and the same errors as through type-graphql's own wrapper — and
// mutations, whose inputs are validated, still through type-graphql.
import 'reflect-metadata';
import { execute, parse, type ExecutionResult, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsServices } from '../../src/aws/types.js';
import { buildStatusGraphSchema, resolvers } from '../../src/graphql/build-schema.js';
import { createGraphQLContext } from '../../src/graphql/context.js';
import { callResolversDirectly, type ResolverClass } from '../../src/graphql/direct-resolvers.js';
import { typeGraphQLPubSub } from '../../src/graphql/pubsub-adapter.js';
import { AccountIdScalar, CreateAccountRequestIdScalar, DateTimeScalar } from '../../src/graphql/scalars.js';
import { validateInput } from '../../src/graphql/validation.js';
import { InMemoryStatusCache, InProcessPubSub, StatusService, StatusWatcher } from '../../src/status/index.js';

const MEMBERS = ['111111111111', '222222222222', '333333333333'];
const MANAGEMENT = '000000000000';
const STRING_SCALARS = [AccountIdScalar, CreateAccountRequestIdScalar];

/** AWS as far as these queries read it: three members, one of which FleetWise refuses to answer for. */
const aws = {
  callerAccountId: async () => MANAGEMENT,
  isFleetwiseRegion: (region: string) => region !== 'ap-south-2',
  listAccounts: async () => [MANAGEMENT, ...MEMBERS].map((id) => ({ id, state: 'ACTIVE', joinedMethod: 'CREATED' })),
  describeAccount: async (id: string) => ({ id, state: 'ACTIVE', joinedMethod: 'CREATED' }),
  describeOrganization: async () => ({ id: 'o-example', masterAccountId: MANAGEMENT }),
  getEnrollmentStatus: async (accountId: string) => ({ accountId, status: 'Active' }),
  listOrganizationEnrollmentStatuses: async () => MEMBERS.map((accountId) => ({ accountId, status: 'Active' })),
  listCreateAccountStatuses: async () => [],
  describeCreateAccountStatus: async (id: string) => ({ id, state: 'SUCCEEDED' }),
  getFleetwiseRegistration: async (accountId: string, region: string) => {
    if (accountId === MEMBERS[2]) throw new Error('the role may not be assumed');
    return { accountId, region, customerAccountId: accountId, accountStatus: 'REGISTRATION_SUCCESS' };
  },
} as unknown as AwsServices;

let direct: GraphQLSchema;
let throughTypeGraphQL: GraphQLSchema;
let watcher: StatusWatcher;
let run: (schema: GraphQLSchema, document: string, variables?: Record<string, unknown>) => Promise<ExecutionResult>;

beforeAll(async () => {
  direct = await buildStatusGraphSchema();
  // The same schema as buildStatusGraphSchema builds, before its resolvers are replaced.
  throughTypeGraphQL = await buildSchema({
    resolvers: [...resolvers],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateInput,
    pubSub: typeGraphQLPubSub(new InProcessPubSub()),
  });
  const status = new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: 60_000, settledMs: 60_000 }, fleetwiseRegions: ['us-east-1'] });
  const pubsub = new InProcessPubSub();
  watcher = new StatusWatcher({ status, pubsub, fastMs: 1_000, slowMs: 1_000 });
  run = async (schema, document, variables) =>
    (await execute({ schema, document: parse(document), variableValues: variables, contextValue: createGraphQLContext({ status, watcher, pubsub }, 'test') })) as ExecutionResult;
});
afterAll(() => watcher?.close());

describe('resolvers', () => {
  it('leave plain fields to graphql’s default resolver', () => {
    const account = direct.getType('Account') as GraphQLObjectType;
    expect(account.getFields().id!.resolve).toBeUndefined();
    expect(account.getFields().state!.resolve).toBeUndefined();
  });

  it('call the query side’s methods directly, and leave mutations and subscriptions to type-graphql', () => {
    const replaced = callResolversDirectly(throughTypeGraphQL, resolvers as unknown as readonly ResolverClass[], STRING_SCALARS);
    expect(replaced).toEqual(
      expect.arrayContaining(['Query.account', 'Query.accounts', 'Account.fleetwiseRegistration', 'Account.computeOptimizerEnrollment', 'Account.creationRequest']),
    );
    // organization.accounts takes an AccountFilter input, which type-graphql validates: it keeps type-graphql's path
    // (once per request, not per account).
    expect(replaced).not.toContain('Organization.accounts');
    expect(replaced.filter((field) => field.startsWith('Mutation.') || field.startsWith('Subscription.'))).toEqual([]);
  });

  it.each([
    ['a page with arguments, a failed field among them', `query Page($states: [AccountState!]) {
      organization { accounts(first: 4, states: $states) { totalCount nodes { id state fleetwiseRegistration(region: "us-east-1") { accountStatus } computeOptimizerEnrollment { status } creationRequest { state } } } }
    }`, { states: ['ACTIVE'] }],
    ['accounts by id', `query Ids($ids: [AccountId!]!) { accounts(ids: $ids) { id computeOptimizerEnrollment { status } } account(id: "111111111111") { id } }`, { ids: MEMBERS }],
    ['a region FleetWise is not offered in', '{ account(id: "111111111111") { fleetwiseRegistration(region: "ap-south-2") { accountStatus } } }', undefined],
    ['a malformed region', '{ account(id: "111111111111") { fleetwiseRegistration(region: "mars") { accountStatus } } }', undefined],
    ['a page size over the cap', '{ organization { accounts(first: 5000) { totalCount } } }', undefined],
  ])('answer %s as type-graphql’s own resolvers do', async (_what, document, variables) => {
    const ours = await run(direct, document, variables);
    const theirs = await run(throughTypeGraphQL, document, variables);
    expect(JSON.parse(JSON.stringify(ours))).toEqual(JSON.parse(JSON.stringify(theirs)));
    expect(ours.data ?? ours.errors).toBeTruthy();
  });
});
