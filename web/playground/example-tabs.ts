// The tabs the playground opens with (when the browser has none saved): the repository's example operations,
// the organization overview first, so a new visitor sees the demo organization with one click.
import accountStatus from '../../examples/operations/account.graphql?raw';
import organizationOverview from '../../examples/operations/organization-overview.graphql?raw';

export interface ExampleTab {
  readonly query: string;
  readonly variables?: string;
}

export const exampleTabs: ExampleTab[] = [
  { query: organizationOverview },
  { query: accountStatus, variables: JSON.stringify({ id: '000000000000' }, null, 2) },
];
