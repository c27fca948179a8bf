// Compute Optimizer enrollment per account, with the fewest calls: the management account asks for itself, members
// come from one org-wide GetEnrollmentStatusesForOrganization scan (which fills every member's cache entry), and a
// single member — or every member, once the scan was denied — is asked directly in its own account.
import { AwsCallError } from '../aws/errors.js';
import type { EnrollmentStatusRecord } from '../aws/types.js';
import { cacheKeys } from './followed-creations.js';
import { asError, load, observed, settleEach, type BatchResult, type StatusContext } from './status-context.js';
import { ttlFor, ttlForAll } from './ttl.js';

/**
 * From this many member enrollments missing, one GetEnrollmentStatusesForOrganization scan (1,000 a page)
 * answers them all. A single member is asked directly, as the architecture's fallback rule says.
 */
const ENROLLMENT_SCAN_MIN = 2;

/** Compute Optimizer enrollment per account: the management account asks itself, members come from the org-wide scan. */
export async function readEnrollments(context: StatusContext, ids: readonly string[]): Promise<BatchResult<EnrollmentStatusRecord>[]> {
  const { cache } = context;
  const results = new Map<string, BatchResult<EnrollmentStatusRecord>>();
  const missing: string[] = [];
  const distinct = [...new Set(ids)];
  const cachedEnrollments = await Promise.all(
    distinct.map((id) => cache.peek<EnrollmentStatusRecord>(cacheKeys.enrollment(id))),
  );
  distinct.forEach((id, index) => {
    const cached = cachedEnrollments[index];
    if (cached) results.set(id, cached);
    else missing.push(id);
  });

  if (missing.length > 0) {
    let callerId: string | undefined;
    try {
      callerId = await context.aws.callerAccountId();
    } catch (error) {
      for (const id of missing) results.set(id, asError(error));
    }
    if (callerId !== undefined) {
      const members = missing.filter((id) => id !== callerId);
      const direct = missing.filter((id) => id === callerId);
      if (members.length >= ENROLLMENT_SCAN_MIN && !(await cache.peek(cacheKeys.enrollmentScanDenied))) {
        const fromScan = await enrollmentsFromScan(context, members);
        for (const [id, result] of fromScan) {
          if (result === undefined) direct.push(id);
          else results.set(id, result);
        }
      } else {
        direct.push(...members);
      }
      const answers = await settleEach(direct, (id) => enrollmentOf(context, id));
      direct.forEach((id, index) => results.set(id, answers[index]!));
    }
  }
  return ids.map((id) => results.get(id)!);
}

/** One account's enrollment, asked in that account (GetEnrollmentStatus). */
function enrollmentOf(context: StatusContext, id: string) {
  return load(
    context,
    cacheKeys.enrollment(id),
    (aws) => context.refusals.guard(id, () => aws.getEnrollmentStatus(id)),
    (record) => ttlFor(context.ttl, record.status),
    (record) => [{ target: { kind: 'enrollment', accountId: id }, status: record.status }],
  );
}

/**
 * Members' enrollments from the org-wide scan. A member the scan does not list maps to undefined (ask it directly);
 * a denied scan (not the management account, or trusted access off) is remembered so the next batch goes direct.
 */
async function enrollmentsFromScan(
  context: StatusContext,
  members: readonly string[],
): Promise<Map<string, BatchResult<EnrollmentStatusRecord> | undefined>> {
  const { cache, ttl } = context;
  const answers = new Map<string, BatchResult<EnrollmentStatusRecord> | undefined>();
  try {
    const scan = await load(
      context,
      cacheKeys.enrollmentScan,
      async (aws) => {
        const since = cache.mark();
        const records = await aws.listOrganizationEnrollmentStatuses();
        // A member whose enrollment was written (a mutation) since the scan began keeps the write: the scan neither
        // stores nor tells its older reading, and leaves it out, so that member is asked directly.
        const stored = await Promise.all(
          records.map((record) => cache.setRead(cacheKeys.enrollment(record.accountId), record, ttlFor(ttl, record.status), since)),
        );
        const current = records.filter((_record, index) => stored[index]);
        observed(context, current.map((record) => ({ target: { kind: 'enrollment', accountId: record.accountId }, status: record.status })));
        return new Map(current.map((record) => [record.accountId, record]));
      },
      (byId) => ttlForAll(ttl, [...byId.values()].map((record) => record.status)),
    );
    for (const id of members) {
      const record = scan.value.get(id);
      answers.set(id, record ? { value: record, fetchedAt: scan.fetchedAt } : undefined);
    }
  } catch (error) {
    if (error instanceof AwsCallError && error.accessDenied) {
      await cache.set(cacheKeys.enrollmentScanDenied, true, ttl.settledMs);
      for (const id of members) answers.set(id, undefined);
    } else {
      for (const id of members) answers.set(id, asError(error));
    }
  }
  return answers;
}
