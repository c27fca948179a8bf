// The tables of the history store as Kysely sees them (migrations.ts creates them). One shape for both engines:
// times are epoch milliseconds, flags 0/1, so the same queries run on SQLite and PostgreSQL.
import type { Generated } from 'kysely';

export interface StatusEventTable {
  /** The cursor: increasing in the order events were written. PostgreSQL's bigint arrives as a string. */
  id: Generated<number | string>;
  /** The watched status (`fleetwise:<account>:<region>`, `enrollment:<account>`…). */
  watch_key: string;
  /** The id of the event this one follows for the same status; 0 for the first reading. Unique per status, so two
   * instances that see the same change write it once. */
  follows_id: number | string;
  account_id: string | null;
  request_id: string | null;
  /** FLEETWISE_REGISTRATION, COMPUTE_OPTIMIZER_ENROLLMENT or CREATION_REQUEST. */
  source: string;
  region: string | null;
  /** 0 for the first reading of a status (no previous value), 1 otherwise. */
  has_previous: number;
  /** The raw AWS text; null = none (never registered, no request). */
  previous: string | null;
  current: string | null;
  observed_at: number | string;
  /** poll, query or mutation. */
  observed_by: string;
  /** A mutation's caller: an API key's name or a token's subject (never an email or a secret). */
  caller: string | null;
  idempotency_key: string | null;
}

export interface IdempotencyKeyTable {
  key: string;
  fingerprint: string;
  /** pending, done or failed. */
  state: string;
  /** Who claimed the key: this claim's token, so only its owner settles it. */
  token: string;
  /** The outcome, v8-serialized (Dates survive); null while pending. */
  outcome: Buffer | null;
  expires_at: number | string;
}

export interface HistoryMarkTable {
  name: string;
  value: number | string;
}

export interface HistoryDatabase {
  status_events: StatusEventTable;
  idempotency_keys: IdempotencyKeyTable;
  history_marks: HistoryMarkTable;
}
