// How AWS spells the names statusgraph checks before using them — the one home of these patterns, for the
// configuration and for GraphQL arguments alike (config/ is the leaf every layer may read).

/** Region names as AWS spells them: `us-east-1`, `eu-central-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
export const REGION_NAME = /^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;

/** IAM role names: 1–64 of letters, digits and `+=,.@_-`. */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** True when `value` is spelled like an AWS region name (whether or not a service is offered there). */
export function isRegionName(value: string): boolean {
  return REGION_NAME.test(value);
}
