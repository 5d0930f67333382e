import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendBounded, projectedSellOutSec, ratesOver, sellOut, sellOutBounds, type StatusSample } from './live-metrics.js';

function sample(at: number, over: Partial<StatusSample> = {}): StatusSample {
  return { at, totalStock: 100, currentStock: 100, successCount: 0, soldOutCount: 0, duplicateCount: 0, totalParticipation: 0, pending: 0, ...over };
}

describe('ratesOver', () => {
  it('is zero without two samples', () => {
    assert.deepEqual(ratesOver([], 2000), { decidedPerSec: 0, acceptedPerSec: 0 });
    assert.deepEqual(ratesOver([sample(0)], 2000), { decidedPerSec: 0, acceptedPerSec: 0 });
  });

  it('divides the counter deltas inside the window by the elapsed time', () => {
    const samples = [
      sample(0, { totalParticipation: 0 }),
      sample(1000, { totalParticipation: 100, pending: 50 }),
      sample(2000, { totalParticipation: 300, pending: 100 }),
      sample(3000, { totalParticipation: 600, pending: 0 }),
    ];
    // window of 2 s: samples at 1000..3000
    const r = ratesOver(samples, 2000);
    assert.equal(r.decidedPerSec, 250);
    assert.equal(r.acceptedPerSec, 225);
  });

  it('uses the previous sample when the last poll came later than the window', () => {
    const r = ratesOver([sample(0), sample(5000, { totalParticipation: 50 })], 2000);
    assert.equal(r.decidedPerSec, 10);
  });

  it('never reports accepted traffic going backwards when pending reads low', () => {
    const r = ratesOver([sample(0, { pending: 500 }), sample(1000, { totalParticipation: 10, pending: 0 })], 2000);
    assert.equal(r.acceptedPerSec, 0);
    assert.equal(r.decidedPerSec, 10);
  });
});

describe('sellOut', () => {
  it('is null before any winner', () => {
    assert.equal(sellOut([sample(0), sample(500)]), null);
  });

  it('spans the first sample with a winner to the first with no stock', () => {
    const s = sellOut([sample(0), sample(500, { successCount: 3, currentStock: 97 }), sample(1000, { successCount: 100, currentStock: 0 }), sample(1500, { successCount: 100, currentStock: 0 })]);
    assert.equal(s?.lastBeforeWinAt === null, false, 'the view opened before the selling began');
    assert.deepEqual(s, { lastBeforeWinAt: 0, firstWinSeenAt: 500, soldOutAt: 1000 });
    assert.ok(s);
    assert.deepEqual(sellOutBounds(s), { atLeastMs: 500, atMostMs: 1000 });
  });

  it('brackets a sell-out that happened between two reads', () => {
    const s = sellOut([sample(0), sample(500), sample(1000, { successCount: 100, currentStock: 0 })]);
    assert.ok(s);
    assert.deepEqual(sellOutBounds(s), { atLeastMs: 0, atMostMs: 500 });
  });

  it('says when the stock was already falling as the view opened', () => {
    const s = sellOut([sample(0, { successCount: 10, currentStock: 90 })]);
    assert.equal(s?.lastBeforeWinAt === null, true, 'the selling began before the view opened');
    assert.deepEqual(s, { lastBeforeWinAt: null, firstWinSeenAt: 0, soldOutAt: null });
    assert.ok(s);
    assert.equal(sellOutBounds(s), null, 'not sold out yet');
    assert.deepEqual(sellOutBounds({ ...s, soldOutAt: 3000 }), { atLeastMs: 3000, atMostMs: null });
  });
});

describe('projectedSellOutSec', () => {
  it('projects the remaining stock at the recent rate', () => {
    assert.equal(projectedSellOutSec([sample(0, { currentStock: 100 }), sample(1000, { currentStock: 80 })], 5000), 4);
  });

  it('is null when stock is not falling or is gone', () => {
    assert.equal(projectedSellOutSec([sample(0), sample(1000)], 5000), null);
    assert.equal(projectedSellOutSec([sample(0, { currentStock: 5 }), sample(1000, { currentStock: 0 })], 5000), null);
    assert.equal(projectedSellOutSec([], 5000), null);
  });
});

describe('appendBounded', () => {
  it('keeps the newest items up to the bound', () => {
    assert.deepEqual(appendBounded([1, 2, 3], 4, 3), [2, 3, 4]);
    assert.deepEqual(appendBounded([1], 2, 3), [1, 2]);
  });
});
