import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../platform/metrics.js';

/** Paths whose traffic is the monitoring itself: counting them would drown the real requests. */
const UNMEASURED = new Set(['/metrics', '/healthz', '/readyz']);

/**
 * RED per route template and status class. The buckets are dense between 5 ms and 250 ms, where
 * a participation's latency lives (the SLO is 250 ms), and reach 10 s for the sync path under load.
 */
export function httpMetrics(registry: Registry, onFinish: readonly ((req: Request, res: Response) => void)[] = []): RequestHandler {
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP request duration by route template, method and status class (probes and /metrics excluded)',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (UNMEASURED.has(req.path)) {
      next();
      return;
    }
    const end = duration.startTimer();
    res.on('finish', () => {
      // The template, not the URL, so that ids do not explode the label space.
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? req.baseUrl + routePath : 'unmatched';
      end({ method: req.method, route, status_class: `${Math.floor(res.statusCode / 100)}xx` });
      for (const observe of onFinish) observe(req, res);
    });
    next();
  };
}
