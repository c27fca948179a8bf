// The argument rules several resolvers share — how many account ids one operation may name, what a FleetWise region
// argument must be — in one place, so no resolver imports another for them.
import { GraphQLError } from 'graphql';
import { isRegionName } from '../config/index.js';
import type { GraphQLContext } from './context.js';
import { badUserInput, ErrorCode } from './errors.js';

/** Largest list of account ids one `accounts` query, subscription or operator mutation may name. @default 1_000 */
export const MAX_ACCOUNT_IDS = 1_000;

/** Checks a list of account ids against MAX_ACCOUNT_IDS: more → BAD_USER_INPUT on `field`. */
export function accountIdsOrThrow(ids: readonly string[], field: string): readonly string[] {
  if (ids.length > MAX_ACCOUNT_IDS) throw badUserInput(`${field} may name at most ${MAX_ACCOUNT_IDS} accounts.`, field);
  return ids;
}

/** Checks a region argument: malformed → BAD_USER_INPUT; well-formed but without FleetWise → REGION_NOT_SUPPORTED. */
export function fleetwiseRegionOrThrow(ctx: GraphQLContext, region: string | undefined | null, field = 'region'): string {
  const chosen = region ?? ctx.reader.fleetwiseRegions[0]!;
  if (!isRegionName(chosen)) throw badUserInput(`${field} must be an AWS region name such as us-east-1.`, field);
  if (!ctx.reader.isFleetwiseRegion(chosen)) {
    throw new GraphQLError(`IoT FleetWise is not offered in ${chosen}.`, {
      extensions: { code: ErrorCode.REGION_NOT_SUPPORTED, region: chosen },
    });
  }
  return chosen;
}
