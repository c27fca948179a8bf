// The one answer for an account id that is not in the organization, wherever it is named: queries answer null for it,
// and mutations and subscriptions — which would otherwise call AWS in it or poll it — refuse it with this error
// (graphql/ turns it into NOT_FOUND) before any call in that account.

export class NotInOrganizationError extends Error {
  constructor(readonly accountIds: readonly string[]) {
    super(`No account ${accountIds.join(', ')} in the organization.`);
    this.name = 'NotInOrganizationError';
  }
}
