import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 re-arms a timer on every connection after every response, even with nothing
 * queued and no throttle: `throttledUntil` starts at -1, so the delay is minus the Unix time,
 * which Node clamps to 1 ms (and Node 24 warns about: TimeoutNegativeWarning). Each broker
 * connection of each process then wakes its event loop about a thousand times a second for as
 * long as it lives (tulios/kafkajs#1704, #1751; no release fixes it). This replaces that one method
 * with what it means to do: wait out a throttle, or check again soon while requests are queued;
 * with nothing queued and no throttle there is nothing to check, and `push` re-arms it whenever
 * a request has to queue.
 */

/** The version whose RequestQueue this was written against: another one is left as it is. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** What of kafkajs' RequestQueue the replacement touches. */
export interface RequestQueueState {
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

/** The delay until the queue must be looked at again, or undefined when nothing can become sendable by waiting. */
export function nextCheckIn(throttledUntil: number, pending: number, now: number): number | undefined {
  const throttled = throttledUntil - now;
  if (throttled > 0) return throttled;
  return pending > 0 ? CHECK_PENDING_REQUESTS_INTERVAL_MS : undefined;
}

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId) return;
  const delay = nextCheckIn(this.throttledUntil, this.pending.length, Date.now());
  if (delay === undefined) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

let applied: boolean | undefined;

/** Installs the replacement once per process; returns whether kafkajs is the version it was written for (and so patched). */
export function fixKafkajsRequestQueue(): boolean {
  if (applied !== undefined) return applied;
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  applied = version === PATCHED_KAFKAJS_VERSION;
  if (applied) {
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: { scheduleCheckPendingRequests: unknown } };
    RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  }
  return applied;
}
