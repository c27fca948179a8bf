// Graceful shutdown on SIGTERM/SIGINT, for rolling deploys: /readyz fails first while requests are still served (the
// readiness grace), then the listener closes, in-flight requests finish and WebSocket clients get a going-away close
// (1001), the pollers hand their leases over, Redis, the history store and the AWS clients close, and the process
// exits 0 — within the shutdown timeout whatever happens (then 1), because an orchestrator that sent SIGTERM sends
// SIGKILL next.
import type { Logger } from './logger.js';

/** Of the shutdown timeout, the share in-flight HTTP requests get to finish; the rest closes everything else. */
const DRAIN_SHARE = 0.75;

/** How long in-flight requests may take to finish once shutdown begins, for a given shutdown timeout. */
export function drainGraceMs(shutdownTimeoutMs: number): number {
  return Math.floor(shutdownTimeoutMs * DRAIN_SHARE);
}

export interface ShutdownOptions {
  /** Stops everything: the server (draining in-flight work), pollers, AWS clients, the embedded emulator. */
  readonly stop: () => Promise<void>;
  /** From the first signal to a forced exit, in milliseconds. @default 10_000 // 10 seconds */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** @default process.exit */
  readonly exit?: (code: number) => void;
  /** @default ['SIGTERM', 'SIGINT'] */
  readonly signals?: readonly NodeJS.Signals[];
}

export interface ShutdownHandle {
  /** Starts the shutdown as a signal would; later calls return the same promise. */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal handlers (tests). */
  dispose(): void;
}

/**
 * Installs the signal handlers. A second signal during shutdown changes nothing: process managers and wrappers
 * (npx, tsx) often deliver the same SIGTERM twice, and cutting in-flight work short is what the timer is for.
 */
export function handleShutdownSignals(options: ShutdownOptions): ShutdownHandle {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const { logger } = options;
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    // Wrappers (tsx, npm) pass on the signal the process group also got: one SIGTERM arrives twice, and is logged once.
    if (stopping) return stopping;
    logger.info({ reason, timeoutMs: options.timeoutMs }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out; exiting anyway');
      exit(1);
    }, options.timeoutMs);
    // The timer must not keep an otherwise finished process alive.
    forced.unref();
    stopping = options.stop().then(
      () => {
        clearTimeout(forced);
        logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(forced);
        logger.error({ err: error instanceof Error ? { type: error.name, message: error.message } : undefined }, 'shutdown failed');
        exit(1);
      },
    );
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  for (const signal of signals) process.on(signal, onSignal);
  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
