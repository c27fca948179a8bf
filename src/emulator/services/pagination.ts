// Opaque pagination tokens. A token is base64url of the operation it belongs to and the position to resume from,
// so every page is a slice of a precomputed order (O(page), whatever the size of the organization) and a token from
// another operation, or no token of ours at all, is recognised as invalid.

interface TokenBody {
  /** Operation the token was issued by. */
  readonly op: string;
  /** Index into the operation's ordered collection where the next page starts. */
  readonly at: number;
}

export function encodePageToken(operation: string, position: number): string {
  const body: TokenBody = { op: operation, at: position };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The position a token resumes from, or undefined when it is not a token this operation issued. */
export function decodePageToken(operation: string, token: string): number | undefined {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { op, at } = body as Partial<TokenBody>;
  if (op !== operation || typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) return undefined;
  return at;
}

export interface Page<T> {
  readonly items: T[];
  /** Where the next page starts, or undefined when this page reached the end. */
  readonly next: number | undefined;
}

/**
 * Reads up to `size` items from `start`, keeping those `accept` takes. Items that `accept` skips still advance the
 * position, so a filtered listing costs O(N) over all its pages together, never O(N) per page.
 */
export function readPage<R>(
  length: number,
  start: number,
  size: number,
  read: (index: number) => R | undefined,
): Page<R> {
  const items: R[] = [];
  let index = start;
  while (index < length && items.length < size) {
    const item = read(index);
    index++;
    if (item !== undefined) items.push(item);
  }
  return { items, next: index < length ? index : undefined };
}
