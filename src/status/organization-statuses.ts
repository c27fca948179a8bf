// Every status of many accounts at once — the organization-wide read behind statusSummary (and the summaries of
// organizational units and filters): from a fresh cache entry at once where one is held, else through the request's
// DataLoaders, so that a cold organization costs one batch per source. It never rejects for one account: a status
// that could not be read is that status's Error, counted as ERROR by the summary.
import type { Loaders } from './create-loaders.js';
import type { CreateAccountStatusRecord, EnrollmentStatusRecord, FleetwiseRegistrationRecord, OrgAccount } from './records.js';
import type { Cached } from './status-cache.js';
import type { AccountDirectory, StatusService } from './status-service.js';

/**
 * Reads the directory and every account's statuses. Each account's FleetWise registration and creation request start
 * loading as soon as its ListAccounts page arrives, while the next pages are read: the summary then takes about as
 * long as the directory, not the directory plus every account after it. Enrollments are asked for once, for the whole
 * directory: one org-wide scan answers every member, and a page arriving after a transitional status of that scan
 * expired would otherwise scan the organization again.
 */
export async function readOrganizationStatuses(
  status: StatusService,
  loaders: Loaders,
  /**
   * The directory the operation already looks at (its accounts are the answer; the pages are still taken as they
   * arrive), or what to tell of the read started here, so that the operation's later looks share it.
   */
  operationDirectory?: Promise<Cached<AccountDirectory>> | ((read: Promise<Cached<AccountDirectory>>) => void),
): Promise<{ accounts: readonly OrgAccount[]; statuses: AccountStatuses[] }> {
  const loading = new Map<string, Promise<PerAccountStatuses>>();
  const startLoading = (accounts: readonly OrgAccount[]) => {
    const fresh = accounts.filter((account) => !loading.has(account.id));
    const statuses = loadPerAccountStatuses(status, loaders, fresh);
    fresh.forEach((account, index) => loading.set(account.id, statuses.then((all) => all[index]!)));
  };
  const read = status.directory({ onPage: startLoading });
  let answered = read;
  if (typeof operationDirectory === 'function') operationDirectory(read);
  else if (operationDirectory) {
    answered = operationDirectory;
    read.catch(() => undefined); // its failure is the operation's directory's too, answered from there
  }
  const accounts = (await answered).value.accounts;
  // Read elsewhere (or cached meanwhile), the directory came whole: load what the pages did not start.
  startLoading(accounts);
  const [perAccount, enrollments] = await Promise.all([
    Promise.all(accounts.map((account) => loading.get(account.id)!)),
    loadEnrollments(status, loaders, accounts),
  ]);
  return { accounts, statuses: perAccount.map((each, index) => ({ ...each, enrollment: enrollments[index]! })) };
}

/** One account's three statuses (FleetWise per region, in the service's region order), or the error of each. */
export interface AccountStatuses extends PerAccountStatuses {
  readonly enrollment: Cached<EnrollmentStatusRecord> | Error;
}

/** The statuses that cost a call per account (FleetWise) or come from an index of their own (creation requests). */
interface PerAccountStatuses {
  readonly fleetwise: readonly (Cached<FleetwiseRegistrationRecord | null> | Error)[];
  readonly creation: Cached<CreateAccountStatusRecord | null> | Error;
}

/**
 * Every status of some accounts: from the status cache at once where it holds them fresh, else through the request's
 * loaders (batched, cached); never rejects — a failed lookup is that status's Error.
 */
export async function readStatusesOf(status: StatusService, loaders: Loaders, accounts: readonly OrgAccount[]): Promise<AccountStatuses[]> {
  const [perAccount, enrollments] = await Promise.all([loadPerAccountStatuses(status, loaders, accounts), loadEnrollments(status, loaders, accounts)]);
  return perAccount.map((each, index) => ({ ...each, enrollment: enrollments[index]! }));
}

function loadEnrollments(status: StatusService, loaders: Loaders, accounts: readonly OrgAccount[]): Promise<(Cached<EnrollmentStatusRecord> | Error)[]> {
  return Promise.all(accounts.map((account) => status.cachedEnrollment(account.id) ?? settled(loaders.enrollment.load(account.id))));
}

async function loadPerAccountStatuses(status: StatusService, loaders: Loaders, accounts: readonly OrgAccount[]): Promise<PerAccountStatuses[]> {
  if (accounts.length === 0) return [];
  const [creations, ...fleetwise] = await Promise.all([
    Promise.all(
      accounts.map((account) => status.cachedCreationRequestForAccount(account) ?? settled(loaders.creationRequestForAccount.load(account))),
    ),
    ...status.fleetwiseRegions.map((region) =>
      Promise.all(
        accounts.map(
          (account) =>
            status.cachedFleetwiseRegistration(account.id, region) ?? settled(loaders.fleetwise.load({ accountId: account.id, region })),
        ),
      ),
    ),
  ]);
  return accounts.map((_account, index) => ({
    fleetwise: fleetwise.map((byRegion) => byRegion[index]!),
    creation: creations[index]!,
  }));
}

/** A lookup's value, or its failure as a value: one account's failed status must not fail the summary. */
function settled<T>(lookup: Promise<T>): Promise<T | Error> {
  return lookup.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}
