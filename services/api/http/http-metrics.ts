import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../platform/metrics.js';

/** Paths whose traffic is the monitoring itself: counting them would drown the real requests. */
const UNMEASURED = new Set(['/metrics', '/healthz', '/readyz']);

/** The status class of a request that ended without a full answer: the client went away, or it was cut off. */
const UNANSWERED = 'unanswered';

export interface HttpMetrics {
  /** For express: the route template is read once the answer is out. */
  readonly middleware: RequestHandler;
  /** For a route served without express, whose template is known up front; `observe` sees the same close. */
  readonly track: (req: IncomingMessage, res: ServerResponse, route: string, observe: (answered: boolean) => void) => void;
}

/**
 * RED per route template and status class. The buckets are dense between 5 ms and 250 ms, where
 * a participation's latency lives (the SLO is 250 ms), and reach 10 s for the sync path under load.
 * Counted when the response closes, so a request whose client left (or that timed out) counts too,
 * as `unanswered`. `onClose` observers see the same moment, with whether the answer went out.
 */
export function httpMetrics(registry: Registry, onClose: readonly ((res: Response, answered: boolean) => void)[] = []): HttpMetrics {
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: `HTTP request duration by route template, method and status class (${UNANSWERED}: the client left or was cut off first; probes and /metrics excluded)`,
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const statusClass = (res: ServerResponse) => (res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : UNANSWERED);
  return {
    middleware: (req: Request, res: Response, next: NextFunction) => {
      if (UNMEASURED.has(req.path)) {
        next();
        return;
      }
      const end = duration.startTimer();
      res.once('close', () => {
        // The template, not the URL, so that ids do not explode the label space. A route may name
        // itself in res.locals: once an error has left a router, req.baseUrl no longer holds its mount.
        const routePath = (req.route as { path?: unknown } | undefined)?.path;
        const named = (res.locals as { route?: string }).route;
        const route = named ?? (typeof routePath === 'string' ? req.baseUrl + routePath : 'unmatched');
        end({ method: req.method, route, status_class: statusClass(res) });
        for (const observe of onClose) observe(res, res.writableFinished);
      });
      next();
    },
    track: (req, res, route, observe) => {
      const end = duration.startTimer();
      res.once('close', () => {
        end({ method: req.method, route, status_class: statusClass(res) });
        observe(res.writableFinished);
      });
    },
  };
}
