import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TokenBuckets } from './token-buckets.js';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    const b = new TokenBuckets<string>({ ratePerSec: 2, burst: 3, maxKeys: 10 });
    assert.deepEqual([1, 2, 3].map(() => b.take('u', 0).allowed), [true, true, true]);
    assert.deepEqual(b.take('u', 0), { allowed: false, retryAfterMs: 500 });
    assert.deepEqual(b.take('u', 200), { allowed: false, retryAfterMs: 300 });
    assert.equal(b.take('u', 500).allowed, true);
    assert.equal(b.take('u', 500).allowed, false);
  });

  it('keeps keys apart', () => {
    const b = new TokenBuckets<number>({ ratePerSec: 1, burst: 1, maxKeys: 10 });
    assert.equal(b.take(1, 0).allowed, true);
    assert.equal(b.take(1, 0).allowed, false);
    assert.equal(b.take(2, 0).allowed, true);
  });

  it('refills no further than the burst', () => {
    const b = new TokenBuckets<string>({ ratePerSec: 10, burst: 2, maxKeys: 10 });
    b.take('u', 0);
    const after = [1, 2, 3].map(() => b.take('u', 3_600_000).allowed);
    assert.deepEqual(after, [true, true, false]);
  });

  it('never holds more than maxKeys, and keeps every key among the last maxKeys/2 new ones', () => {
    const b = new TokenBuckets<number>({ ratePerSec: 1, burst: 1, maxKeys: 4 });
    for (const k of [1, 2, 3]) b.take(k, 0);
    b.take(1, 0); // seen again: moves to the current generation
    for (const k of [4, 5]) b.take(k, 0);
    assert.ok(b.size <= 4);
    assert.equal(b.take(1, 0).allowed, false, 'key 1, seen recently, kept its empty bucket');
    assert.equal(b.take(5, 0).allowed, false, 'key 5, the newest, is kept');
    assert.equal(b.take(2, 0).allowed, true, 'key 2, not seen since, was dropped and starts full');
    for (let k = 100; k < 1_000; k++) b.take(k, 0);
    assert.ok(b.size <= 4);
  });

  it('over any sequence of requests, allows at most burst + rate x elapsed per key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }),
        (rate, burst, gaps) => {
          const b = new TokenBuckets<string>({ ratePerSec: rate, burst, maxKeys: 10 });
          let now = 0;
          let allowed = 0;
          for (const gap of gaps) {
            now += gap;
            const t = b.take('k', now);
            if (t.allowed) allowed++;
            else assert.ok(t.retryAfterMs > 0 && t.retryAfterMs <= 1000 / rate + 1);
            assert.ok(allowed <= burst + (rate * now) / 1000 + 1e-9);
          }
        },
      ),
    );
  });
});
