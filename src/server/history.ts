// Status history as one instance runs it: opens the history store the Config names (embedded SQLite in the data
// directory, or PostgreSQL), reports its health — a log line on each change, statusgraph_history_up, the events
// buffered while it is away and those dropped past the buffer, and `history` in /readyz's degraded list — and logs
// what retention pruned.
import { resolve } from 'node:path';
import { Counter, Gauge } from 'prom-client';
import type { Config } from '../config/index.js';
import { openHistoryStore, type HistoryStore } from '../history/index.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

const METRIC_NAMES = ['statusgraph_history_up', 'statusgraph_history_buffered_events', 'statusgraph_history_dropped_events_total'];

export interface RunningHistory extends HistoryStore {
  /** ['history'] while the database cannot be reached. */
  degraded(): string[];
}

export async function startHistory(config: Config, logger: Logger, metrics: Metrics): Promise<RunningHistory> {
  const settings = config.history;
  const store = await openHistoryStore({
    location:
      settings.store === 'postgres'
        ? { engine: 'postgres', url: settings.databaseUrl }
        : { engine: 'sqlite', ...(settings.dataDir === undefined ? {} : { dataDir: resolve(settings.dataDir) }) },
    retentionDays: settings.retentionDays,
    // The URL is never logged: it may carry the password.
    onAvailability: (available, error) => {
      if (available) logger.info({ store: settings.store }, 'history store reachable: recording status changes');
      else {
        logger.warn(
          { store: settings.store, code: (error as { code?: string } | undefined)?.code },
          'history store unreachable: live statuses go on, status changes are buffered, history queries fail HISTORY_UNAVAILABLE',
        );
      }
    },
    onPruned: (result) => {
      if ('error' in result) logger.warn({ code: (result.error as { code?: string }).code }, 'history pruning failed; tried again later');
      else if (result.events + result.idempotencyKeys > 0) logger.info(result, 'history pruned past the retention');
    },
  });
  logger.info(
    { store: settings.store, ...(settings.store === 'embedded' ? { dataDir: settings.dataDir ?? '(memory)' } : {}), retentionDays: settings.retentionDays },
    'history store open',
  );

  const { history } = store;
  new Gauge({
    name: METRIC_NAMES[0]!,
    help: '1 while the history store answers, 0 while status changes are buffered in memory.',
    registers: [metrics.registry],
    collect() {
      this.set(history.available ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC_NAMES[1]!,
    help: 'Status changes waiting in memory for the history store to answer again.',
    registers: [metrics.registry],
    collect() {
      this.set(history.buffered);
    },
  });
  let droppedSeen = 0;
  new Counter({
    name: METRIC_NAMES[2]!,
    help: 'Status changes dropped because the history store stayed away longer than the buffer holds.',
    registers: [metrics.registry],
    collect() {
      this.inc(history.dropped - droppedSeen);
      droppedSeen = history.dropped;
    },
  });

  return {
    ...store,
    degraded: () => (history.available ? [] : ['history']),
    async close() {
      for (const name of METRIC_NAMES) metrics.registry.removeSingleMetric(name);
      await store.close();
    },
  };
}
