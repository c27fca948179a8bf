// What every service module needs to make a call: the shared clients, the call path (rate limit, hook, error
// mapping), and the credentials of an account.
import type { AccountAccess, AwsClients } from './clients.js';
import type { CallAws } from './call.js';

export interface AwsContext {
  readonly clients: AwsClients;
  readonly callAws: CallAws;
  /** Base credentials for the caller's own account, the member role for any other. */
  readonly accountAccess: (accountId: string) => Promise<AccountAccess>;
  /** The account whose credentials the server uses (cached). */
  readonly callerAccountId: () => Promise<string>;
  /** The configured region (AWS_REGION): STS and Compute Optimizer are called there. */
  readonly region: string;
}
