// Settings of status history: where it is kept (the embedded store's data directory, or PostgreSQL for several
// instances) and for how long. The same store keeps createAccount's idempotency keys.
import { ConfigError } from '../config-error.js';
import { integerIn, plainText, postgresUrl } from '../parsers.js';
import { derived, setting } from '../setting.js';
import { NODE_ENV } from './server.js';

/** git-ignored; relative to the working directory. */
const DEFAULT_DATA_DIR = '.statusgraph-data';
const MAX_RETENTION_DAYS = 36_500; // 100 years

const DATA_DIR = setting({
  name: 'STATUSGRAPH_DATA_DIR',
  parse: plainText,
  documentedDefault: `${DEFAULT_DATA_DIR} in the working directory (NODE_ENV=test: in memory)`,
  accepts: 'a directory path (created if missing)',
  description: 'Where the embedded store keeps status history and createAccount idempotency keys (history.db, SQLite).',
});

const DATABASE_URL = setting({
  name: 'STATUSGRAPH_DATABASE_URL',
  parse: postgresUrl,
  documentedDefault: '(none: the embedded store in STATUSGRAPH_DATA_DIR)',
  accepts: 'a postgres:// URL such as postgres://statusgraph:password@db.internal:5432/statusgraph',
  description: 'PostgreSQL for status history and createAccount idempotency keys, shared by several instances.',
});

const RETENTION_DAYS = setting({
  name: 'STATUSGRAPH_HISTORY_RETENTION_DAYS',
  parse: integerIn(1, MAX_RETENTION_DAYS),
  default: 400,
  accepts: `an integer from 1 to ${MAX_RETENTION_DAYS} (days)`,
  description: 'How long status changes are kept; older ones are pruned in the background (the latest of each status stays).',
});

/**
 * Where history is kept: the embedded store (a SQLite file in `dataDir`; none = in memory, for tests) or PostgreSQL.
 * A database URL and a data directory name two different stores: one of them would be ignored, so both is refused.
 */
export type HistoryConfig =
  | { readonly store: 'embedded'; readonly dataDir?: string; readonly retentionDays: number }
  | { readonly store: 'postgres'; readonly databaseUrl: string; readonly retentionDays: number };

export const historySettings = {
  history: derived(
    { dataDir: DATA_DIR, databaseUrl: DATABASE_URL, retentionDays: RETENTION_DAYS },
    ({ dataDir, databaseUrl, retentionDays }, { valueOf }): HistoryConfig => {
      if (databaseUrl !== undefined) {
        if (dataDir !== undefined) throw new ConfigError(DATA_DIR.name, ` has no effect with ${DATABASE_URL.name}; set one or the other`);
        return { store: 'postgres', databaseUrl, retentionDays: retentionDays! };
      }
      const directory = dataDir ?? (valueOf(NODE_ENV) === 'test' ? undefined : DEFAULT_DATA_DIR);
      return { store: 'embedded', ...(directory === undefined ? {} : { dataDir: directory }), retentionDays: retentionDays! };
    },
  ),
};
