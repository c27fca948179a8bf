// The tabs the playground opens with (when the browser has none saved): the repository's example operations,
// the organization overview first, so a new visitor sees the demo organization with one click.
import accountStatus from '../../examples/operations/account.graphql?raw';
import organizationOverview from '../../examples/operations/organization-overview.graphql?raw';
import registerFleetwiseAccount from '../../examples/operations/register-fleetwise-account.graphql?raw';
import watchAccountStatus from '../../examples/operations/watch-account-status.graphql?raw';

export interface ExampleTab {
  readonly query: string;
  readonly variables?: string;
}

/** The emulator's management account; on real AWS, put one of your account ids in the variables. */
const EXAMPLE_ACCOUNT_ID = '000000000000';

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const exampleTabs: ExampleTab[] = [
  { query: organizationOverview },
  { query: accountStatus, variables: json({ id: EXAMPLE_ACCOUNT_ID }) },
  { query: watchAccountStatus, variables: json({ sources: ['FLEETWISE_REGISTRATION', 'COMPUTE_OPTIMIZER_ENROLLMENT'] }) },
  {
    query: registerFleetwiseAccount,
    variables: json({ input: { accountId: EXAMPLE_ACCOUNT_ID, iamRoleArn: `arn:aws:iam::${EXAMPLE_ACCOUNT_ID}:role/FleetWiseServiceRole` } }),
  },
];
