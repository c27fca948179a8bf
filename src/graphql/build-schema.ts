// Builds the executable schema from the type-graphql classes; schema.graphql is printed from the same call.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { InProcessPubSub, type StatusPubSub, type StreamMessage } from '../status/index.js';
import type { GraphQLContext } from './context.js';
import { typeGraphQLPubSub } from './pubsub-adapter.js';
import { AccountResolver } from './resolvers/account.resolver.js';
import { CreateAccountRequestResolver } from './resolvers/create-account-request.resolver.js';
import { AccountHistoryResolver, OrganizationHistoryResolver } from './resolvers/history.resolver.js';
import { MutationResolver } from './resolvers/mutation.resolver.js';
import { OrganizationResolver } from './resolvers/organization.resolver.js';
import {
  AccountShapeResolver,
  OrganizationalUnitResolver,
  OrganizationRootResolver,
  OrganizationShapeResolver,
  StatusSummaryByUnitResolver,
} from './resolvers/organizational-unit.resolver.js';
import { QueryResolver } from './resolvers/query.resolver.js';
import { accountStatusEvent, SubscriptionResolver } from './resolvers/subscription.resolver.js';
import { callResolversDirectly, type ResolverClass } from './direct-resolvers.js';
import { AccountIdScalar, CreateAccountRequestIdScalar, DateTimeScalar } from './scalars.js';
import { validateInput } from './validation.js';

export interface BuildStatusGraphSchemaOptions {
  /** The PubSub status changes travel on; the in-process one is the default. */
  readonly pubsub?: StatusPubSub;
}

export const resolvers = [
  QueryResolver,
  AccountResolver,
  OrganizationResolver,
  OrganizationShapeResolver,
  OrganizationRootResolver,
  OrganizationalUnitResolver,
  AccountShapeResolver,
  StatusSummaryByUnitResolver,
  CreateAccountRequestResolver,
  AccountHistoryResolver,
  OrganizationHistoryResolver,
  MutationResolver,
  SubscriptionResolver,
] as const;

/** Descriptions of the root types, which type-graphql has no decorator for. */
const ROOT_DESCRIPTIONS = {
  query: 'Where the accounts of the organization stand: IoT FleetWise registration, Compute Optimizer enrollment and the Organizations request that created each.',
  mutation: 'Changes that statusgraph starts in AWS; each answers at once with the new (usually transitional) status.',
  subscription: 'Status changes pushed over graphql-ws (same URL as HTTP): the current state first, then each change.',
} as const;

export async function buildStatusGraphSchema(options: BuildStatusGraphSchemaOptions = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...resolvers],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateInput,
    pubSub: typeGraphQLPubSub(options.pubsub ?? new InProcessPubSub()),
  });
  // The schema is the documentation people read in the playground: the roots get described too.
  Object.assign(schema.getQueryType()!, { description: ROOT_DESCRIPTIONS.query });
  Object.assign(schema.getMutationType()!, { description: ROOT_DESCRIPTIONS.mutation });
  Object.assign(schema.getSubscriptionType()!, { description: ROOT_DESCRIPTIONS.subscription });
  // Plain fields use graphql's default resolver (every object type is declared with simpleResolvers), and the query
  // side's resolver methods are called without type-graphql's per-call wrapper: both cost more than the fields
  // themselves on a page of accounts (docs/benchmarks.md, section 2).
  callResolversDirectly(schema, resolvers as unknown as readonly ResolverClass[], [AccountIdScalar, CreateAccountRequestIdScalar]);
  // Likewise each event of a status stream (a replay sends thousands a second; docs/benchmarks.md, section 5).
  schema.getSubscriptionType()!.getFields().accountStatusChanged!.resolve = (message: StreamMessage | undefined, _args, context: GraphQLContext) =>
    accountStatusEvent(message, context);
  return schema;
}

/** The SDL committed as schema.graphql: sorted, so that it only changes when the API does. */
export function printStatusGraphSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
