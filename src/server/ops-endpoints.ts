// The operational endpoints a load balancer and a scraper call: /healthz (the process answers), /readyz (whether to
// send it work: readiness.ts) and /metrics (Prometheus). Shutting down, /readyz fails first while everything else
// still answers, so a load balancer stops sending work before the listener closes.
import { Router } from 'express';
import type { Metrics } from './metrics.js';
import { checkReadiness, type ReadinessCheck } from './readiness.js';

export interface OpsEndpointsOptions {
  readonly metrics: Metrics;
  readonly readiness: readonly ReadinessCheck[];
  /** True from the first shutdown signal on: /readyz answers 503 ShuttingDown. */
  readonly shuttingDown: () => boolean;
}

export function opsEndpoints(options: OpsEndpointsOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (options.shuttingDown()) {
      res.status(503).json({ status: 'unavailable', reason: 'ShuttingDown' });
      return;
    }
    const report = await checkReadiness(options.readiness);
    // Degraded is still ready: queries answer from AWS; taking every instance out of a load balancer because the
    // shared Redis is down would turn a partial outage into a whole one.
    res.status(report.status === 'unavailable' ? 503 : 200).json(report);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  return router;
}
