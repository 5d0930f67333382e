import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../platform/metrics.js';
import { AppError } from './errors.js';

/** A body-carrying request must say it is JSON; anything else would be silently ignored otherwise. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json'));
    return;
  }
  next();
};

/** Methods the API serves at all; anything else (TRACE, PUT, …) is 405 on every path. */
export function onlyMethods(methods: readonly string[]): RequestHandler {
  const allowed = new Set(methods);
  const allow = methods.join(', ');
  return (req, res, next) => {
    if (allowed.has(req.method)) {
      next();
      return;
    }
    res.setHeader('Allow', allow);
    next(new AppError('METHOD_NOT_ALLOWED', `method ${req.method} is not supported; this API serves ${allow}`));
  };
}

/** Admin routes: a bearer token unless the admin surface was explicitly opened (ADMIN_AUTH=disabled). */
export function adminAuth(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      next(new AppError('UNAUTHORIZED', 'admin endpoints need an Authorization: Bearer token'));
      return;
    }
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      next(new AppError('FORBIDDEN', 'the admin token is not valid'));
      return;
    }
    next();
  };
}

export function httpMetrics(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The template, not the URL, so that ids do not explode the label space.
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? req.baseUrl + routePath : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
