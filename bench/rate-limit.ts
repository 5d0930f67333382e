import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRateLimiter, rateLimit } from '../services/api/http/rate-limit.js';

export interface LimiterCost {
  calls: number;
  /** Mean microseconds per request through the limiter. */
  limiterUs: number;
  /** The same loop through a handler that only calls next(). */
  baselineUs: number;
}

/**
 * The limiter alone, in process: every call a new user from one address, with the key map full,
 * so each call also creates a bucket and evicts the least recently used one: its worst case.
 */
export function limiterCost(calls = 500_000): LimiterCost {
  const limiter = rateLimit(createRateLimiter({ userPerSec: 1e6, userBurst: 1e6, addressPerSec: 1e9, addressBurst: 1e9, maxKeys: 100_000 }));
  const noop: RequestHandler = (_req, _res, next) => next();
  const res = { setHeader: () => undefined } as unknown as Response;
  const body = { userId: 0 };
  const req = { ip: '127.0.0.1', socket: {}, body } as unknown as Request;
  let passed = 0;
  const next: NextFunction = (err?: unknown) => {
    if (err === undefined) passed++;
  };
  const time = (handler: RequestHandler) => {
    const started = performance.now();
    for (let i = 1; i <= calls; i++) {
      body.userId = i;
      void handler(req, res, next);
    }
    return ((performance.now() - started) * 1000) / calls;
  };
  time(limiter); // fills the map and warms up both paths
  time(noop);
  const limiterUs = time(limiter);
  const baselineUs = time(noop);
  if (passed !== 4 * calls) throw new Error(`the limiter refused ${4 * calls - passed} requests; the limits are meant to be out of reach`);
  return { calls, limiterUs, baselineUs };
}
