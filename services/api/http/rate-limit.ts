import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { DomainError } from '../../platform/errors.js';
import { TokenBuckets, type Take } from './token-buckets.js';

export interface RateLimitOptions {
  readonly userPerSec: number;
  readonly userBurst: number;
  readonly addressPerSec: number;
  readonly addressBurst: number;
  readonly maxKeys: number;
}

/**
 * Per-client limits for the participation paths, in this process only: with N replicas behind a
 * balancer a client gets up to N times the rate. The address is `req.ip`, which honours the app's
 * `trust proxy` setting (TRUST_PROXY); the user is the body's userId when it is a valid one.
 */
export function rateLimit(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    next(limiter(req.ip ?? req.socket.remoteAddress ?? '', req.body, res));
  };
}

/**
 * Takes a token for the client address and, when the body names a valid user, for the user. The
 * refusal to answer, if any: the Retry-After header is already set on `res`.
 */
export type RateLimiter = (address: string, body: unknown, res: ServerResponse) => DomainError | undefined;

export function createRateLimiter(options: RateLimitOptions, now: () => number = () => performance.now()): RateLimiter {
  const byAddress = new TokenBuckets<string>({ ratePerSec: options.addressPerSec, burst: options.addressBurst, maxKeys: options.maxKeys });
  const byUser = new TokenBuckets<number>({ ratePerSec: options.userPerSec, burst: options.userBurst, maxKeys: options.maxKeys });
  return (address, body, res) => {
    const at = now();
    let verdict: Take = byAddress.take(address, at);
    let refusedUser: number | undefined;
    const userId = (body as { userId?: unknown } | undefined)?.userId;
    if (verdict.allowed && typeof userId === 'number' && Number.isSafeInteger(userId) && userId > 0) {
      verdict = byUser.take(userId, at);
      refusedUser = userId;
    }
    if (verdict.allowed) return undefined;
    // named only here: every allowed request passes above, and would pay for a string it never shows
    const who = refusedUser === undefined ? 'this client address' : `user ${refusedUser}`;
    const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    res.setHeader('Retry-After', String(retryAfterSeconds));
    return new DomainError('RATE_LIMITED', `too many requests from ${who}; retry after ${retryAfterSeconds} s (nothing was recorded)`, { data: { retryAfterSeconds } });
  };
}
