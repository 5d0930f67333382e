import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
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

/** Admin routes: a bearer token when ADMIN_TOKEN is set; open otherwise (local development). */
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
