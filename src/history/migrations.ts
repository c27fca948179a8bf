// The history store's schema, versioned: Kysely's Migrator applies the migrations not yet applied, in name order, at
// start (under its own lock, so instances starting together against one PostgreSQL migrate once). A migration is
// never edited once released; a change is a new entry.
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Engine } from './database.js';
import type { HistoryDatabase } from './schema.js';

// Migrations build on the database as it was then, not on today's types.
type AnyDb = Kysely<unknown>;

function migrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-status-events-and-idempotency-keys': {
      async up(db: AnyDb) {
        await db.schema
          .createTable('status_events')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (column) =>
            engine === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
          )
          .addColumn('watch_key', 'text', (column) => column.notNull())
          .addColumn('follows_id', 'bigint', (column) => column.notNull())
          .addColumn('account_id', 'text')
          .addColumn('request_id', 'text')
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('region', 'text')
          .addColumn('has_previous', 'integer', (column) => column.notNull())
          .addColumn('previous', 'text')
          .addColumn('current', 'text')
          .addColumn('observed_at', 'bigint', (column) => column.notNull())
          .addColumn('observed_by', 'text', (column) => column.notNull())
          .addColumn('caller', 'text')
          .addColumn('idempotency_key', 'text')
          .execute();
        // One successor per event of a status: a change seen twice (two instances, a query and a poll) is written once.
        await db.schema.createIndex('status_events_follows').on('status_events').columns(['watch_key', 'follows_id']).unique().execute();
        await db.schema.createIndex('status_events_account').on('status_events').columns(['account_id', 'id']).execute();
        await db.schema.createIndex('status_events_request').on('status_events').columns(['request_id', 'id']).execute();
        await db.schema.createIndex('status_events_observed_at').on('status_events').column('observed_at').execute();

        await db.schema
          .createTable('idempotency_keys')
          .addColumn('key', 'text', (column) => column.primaryKey())
          .addColumn('fingerprint', 'text', (column) => column.notNull())
          .addColumn('state', 'text', (column) => column.notNull())
          .addColumn('token', 'text', (column) => column.notNull())
          .addColumn('outcome', engine === 'postgres' ? 'bytea' : 'blob')
          .addColumn('expires_at', 'bigint', (column) => column.notNull())
          .execute();

        // Named marks, such as the highest event id retention has pruned (a cursor below it cannot be resumed).
        await db.schema
          .createTable('history_marks')
          .addColumn('name', 'text', (column) => column.primaryKey())
          .addColumn('value', 'bigint', (column) => column.notNull())
          .execute();
      },
    },
    // An account's page first asks which requests named the account: through (account_id, id) that read every event
    // of the account for its request_id (36 ms at 10 million events, docs/benchmarks.md section 5). Only a
    // request's events carry a request id, so this index holds a few rows per created account.
    '0002-status-events-requests-by-account': {
      async up(db: AnyDb) {
        await db.schema
          .createIndex('status_events_account_requests')
          .on('status_events')
          .columns(['account_id', 'request_id'])
          .where('request_id', 'is not', null)
          .execute();
      },
    },
  };
}

/** Applies every migration not yet applied; throws (naming the failed one) if any fails. */
export async function migrateToLatest(db: Kysely<HistoryDatabase>, engine: Engine): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(engine) },
    migrationTableName: 'statusgraph_migrations',
    migrationLockTableName: 'statusgraph_migrations_lock',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`history store migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}

/** The names of the migrations applied to this database, oldest first (for tests and diagnostics). */
export async function appliedMigrations(db: Kysely<HistoryDatabase>): Promise<string[]> {
  const rows = await (db as unknown as Kysely<{ statusgraph_migrations: { name: string } }>)
    .selectFrom('statusgraph_migrations')
    .select('name')
    .orderBy('name')
    .execute();
  return rows.map((row) => row.name);
}
