// Reading SDK outputs into our records: the SDK types every member as optional, our records do not. A member
// the API always sends but that is missing is a broken response, reported as an AwsCallError, never a blank.
import { AwsCallError, type CallTarget } from './errors.js';

/** The error code of a response that lacks a member the API always sends. */
export const INVALID_RESPONSE = 'InvalidResponse';

export function required<T>(value: T | undefined | null, member: string, target: CallTarget): T {
  if (value === undefined || value === null) {
    throw new AwsCallError({
      ...target,
      code: INVALID_RESPONSE,
      message: `${target.operation} response has no ${member}`,
      retryable: false,
      throttled: false,
    });
  }
  return value;
}

/** Drops undefined members so records compare and serialize cleanly (`{}` rather than `{a: undefined}`). */
export function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** Runs the call and answers null when it fails with `code`: "not found" is data there, not a failure. */
export async function nullWhen<T>(code: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsCallError && error.code === code) return null;
    throw error;
  }
}

/** One page of a paginated AWS list: its items and the token of the next page, if any. */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly nextToken: string | undefined;
}

/** Follows a paginated list to its end, one page after another (pages are sequential by nature: each needs a token). */
export async function collectPages<T>(fetchPage: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    items.push(...(page.items ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}
