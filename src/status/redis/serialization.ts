// How values cross Redis: Node's structured-clone serializer (v8.serialize), which keeps what JSON would lose —
// Dates (fetchedAt, timestamps of records) and Maps (the account directory's index) come back as they went in.
import { deserialize, serialize } from 'node:v8';

export function encode(value: unknown): Buffer {
  return serialize(value);
}

/** The value, or undefined for bytes that are not ours to read (another version's, or corrupt): a cache miss. */
export function decode<T>(bytes: Buffer): T | undefined {
  try {
    return deserialize(bytes) as T;
  } catch {
    return undefined;
  }
}
