import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { DomainError } from '../../platform/errors.js';

/** A body-carrying request must say it is JSON; anything else would be silently ignored otherwise. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    next(new DomainError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json'));
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
    next(new DomainError('METHOD_NOT_ALLOWED', `method ${req.method} is not supported; this API serves ${allow}`));
  };
}

/** Admin routes: a bearer token unless the admin surface was explicitly opened (ADMIN_AUTH=disabled). */
export function adminAuth(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      next(new DomainError('UNAUTHORIZED', 'admin endpoints need an Authorization: Bearer token'));
      return;
    }
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      next(new DomainError('FORBIDDEN', 'the admin token is not valid'));
      return;
    }
    next();
  };
}
