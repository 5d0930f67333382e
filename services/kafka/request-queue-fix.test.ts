import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { fixKafkajsRequestQueue, nextCheckIn, PATCHED_KAFKAJS_VERSION, type RequestQueueState } from './request-queue-fix.js';

const require = createRequire(import.meta.url);

interface Queue extends RequestQueueState {
  scheduleCheckPendingRequests(): void;
  destroy(): void;
}
type QueueClass = { new (options: Record<string, unknown>): Queue; prototype: Queue };
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as QueueClass;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: false, clientId: 't', broker: 'b:9092', logger: quiet });

describe('the kafkajs request-queue fix', () => {
  it('is written for the installed kafkajs (an upgrade must look at it again)', () => {
    assert.equal((require('kafkajs/package.json') as { version: string }).version, PATCHED_KAFKAJS_VERSION);
  });

  it('looks again only while something is queued or throttled', () => {
    const now = 1_000_000;
    assert.equal(nextCheckIn(-1, 0, now), undefined, 'idle, never throttled: nothing to wait for');
    assert.equal(nextCheckIn(now - 5, 0, now), undefined, 'a throttle that is over');
    assert.equal(nextCheckIn(-1, 2, now), 10, 'queued behind full in-flight slots: check again soon');
    assert.equal(nextCheckIn(now + 250, 2, now), 250, 'queued and throttled: when the throttle ends');
    assert.equal(nextCheckIn(now + 250, 0, now), 250, 'throttled with nothing queued, as kafkajs does');
  });

  it('stops the 1 ms timer kafkajs arms on an idle connection, and keeps the one a queued request needs', () => {
    const original = Object.getOwnPropertyDescriptor(RequestQueue.prototype, 'scheduleCheckPendingRequests')?.value as (this: Queue) => void;
    const before = queue();
    original.call(before);
    assert.notEqual(before.throttleCheckTimeoutId, null, 'unpatched, an idle queue arms a timer (the defect)');
    before.destroy();

    assert.equal(fixKafkajsRequestQueue(), true);
    try {
      const idle = queue();
      idle.scheduleCheckPendingRequests();
      assert.equal(idle.throttleCheckTimeoutId, null, 'patched, an idle queue arms nothing');

      const waiting = queue();
      waiting.pending.push({});
      waiting.scheduleCheckPendingRequests();
      assert.notEqual(waiting.throttleCheckTimeoutId, null, 'a queued request is still looked at again');
      waiting.destroy();
    } finally {
      RequestQueue.prototype.scheduleCheckPendingRequests = original;
    }
  });
});
