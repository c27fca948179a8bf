// The schema as documentation and as a contract: every type, field, argument and enum value is described, and an
// AWS value this version does not know becomes UNKNOWN with its raw text, never a failed response.
import { execute, isEnumType, isInputObjectType, isInterfaceType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsServices } from '../../src/aws/types.js';
import { buildStatusGraphSchema } from '../../src/graphql/build-schema.js';
import { createGraphQLContext } from '../../src/graphql/context.js';
import { InMemoryStatusCache, InProcessPubSub, StatusService, StatusWatcher } from '../../src/status/index.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildStatusGraphSchema();
});

describe('the schema', () => {
  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) {
          // Failure reasons are AWS's own names; their meaning is documented on the enum, with AWS's page.
          if (!value.description && type.name !== 'CreateAccountFailureReason' && type.name !== 'AccountState') {
            missing.push(`${type.name}.${value.name}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps the names of the API contract', () => {
    const query = schema.getQueryType()!.getFields();
    expect(Object.keys(query)).toEqual(expect.arrayContaining(['viewer', 'account', 'accounts', 'organization', 'createAccountRequest']));
    expect(Object.keys(schema.getMutationType()!.getFields())).toEqual(
      expect.arrayContaining(['registerFleetwiseAccount', 'updateComputeOptimizerEnrollment', 'createAccount']),
    );
    expect(Object.keys(schema.getSubscriptionType()!.getFields())).toEqual(
      expect.arrayContaining(['accountStatusChanged', 'createAccountRequestChanged']),
    );
  });
});

describe('AWS values this version does not know', () => {
  it('map to UNKNOWN with the raw text readable, and the response does not fail', async () => {
    const aws = {
      callerAccountId: async () => '000000000000',
      isFleetwiseRegion: () => true,
      describeCreateAccountStatus: async (id: string) => ({ id, state: 'PAUSED', failureReason: 'SOLAR_FLARE' }),
      describeAccount: async (id: string) => ({ id, state: 'HIBERNATING', joinedMethod: 'TELEPORTED' }),
      getEnrollmentStatus: async (accountId: string) => ({ accountId, status: 'Thinking' }),
      getFleetwiseRegistration: async (accountId: string, region: string) => ({
        accountId,
        region,
        customerAccountId: accountId,
        accountStatus: 'REGISTRATION_PAUSED',
        iamRegistrationResponse: { roleArn: 'arn:aws:iam::111111111111:role/R', registrationStatus: 'REGISTRATION_PAUSED' },
      }),
    } as unknown as AwsServices;
    const status = new StatusService({ aws, cache: new InMemoryStatusCache(), ttl: { transitionalMs: 1, settledMs: 1 }, fleetwiseRegions: ['us-east-1'] });
    const pubsub = new InProcessPubSub();
    const watcher = new StatusWatcher({ status, pubsub, fastMs: 1_000, slowMs: 1_000 });
    const result = await execute({
      schema,
      document: parse(`{
        createAccountRequest(id: "car-abcdefgh12") { state stateRaw failureReason failureReasonRaw }
        account(id: "111111111111") {
          state stateRaw joinedMethod joinedMethodRaw
          computeOptimizerEnrollment { status statusRaw }
          fleetwiseRegistration { accountStatus accountStatusRaw iam { registrationStatus registrationStatusRaw } }
        }
      }`),
      contextValue: createGraphQLContext({ status, watcher, pubsub }, 'test'),
    });
    await watcher.close();
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      createAccountRequest: { state: 'UNKNOWN', stateRaw: 'PAUSED', failureReason: 'UNKNOWN', failureReasonRaw: 'SOLAR_FLARE' },
      account: {
        state: 'UNKNOWN',
        stateRaw: 'HIBERNATING',
        joinedMethod: 'UNKNOWN',
        joinedMethodRaw: 'TELEPORTED',
        computeOptimizerEnrollment: { status: 'UNKNOWN', statusRaw: 'Thinking' },
        fleetwiseRegistration: {
          accountStatus: 'UNKNOWN',
          accountStatusRaw: 'REGISTRATION_PAUSED',
          iam: { registrationStatus: 'UNKNOWN', registrationStatusRaw: 'REGISTRATION_PAUSED' },
        },
      },
    });
  });
});
