// Builds the executable schema from the type-graphql classes; schema.graphql is printed from the same call.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { AccountResolver } from './resolvers/account.resolver.js';
import { CreateAccountRequestResolver } from './resolvers/create-account-request.resolver.js';
import { OrganizationResolver } from './resolvers/organization.resolver.js';
import { QueryResolver } from './resolvers/query.resolver.js';
import { DateTimeScalar } from './scalars.js';

export interface BuildStatusGraphSchemaOptions {
  /** Topic-based subscriptions publish through it; the in-process one is the default. */
  readonly pubSub?: PubSub;
}

export const resolvers = [QueryResolver, AccountResolver, OrganizationResolver, CreateAccountRequestResolver] as const;

export function buildStatusGraphSchema(options: BuildStatusGraphSchemaOptions = {}): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...resolvers],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    ...(options.pubSub ? { pubSub: options.pubSub } : {}),
  });
}

/** The SDL committed as schema.graphql: sorted, so that it only changes when the API does. */
export function printStatusGraphSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
