import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredStatus, mergeConditions, phaseOf, statusDiffers, warmupStatus, type CampaignCounters } from './campaign-status.js';

const now = new Date('2026-11-21T12:00:00Z');
const counters: CampaignCounters = {
  id: 7, totalStock: 10, currentStock: 4, successCount: 6, soldOutCount: 0, duplicateCount: 2, pending: 3, startsAt: null, endsAt: null,
};

describe('phaseOf', () => {
  it('is Open while stock lasts inside the window', () => assert.equal(phaseOf(counters, now), 'Open'));
  it('is SoldOut without stock', () => assert.equal(phaseOf({ ...counters, currentStock: 0 }, now), 'SoldOut'));
  it('is Scheduled before startsAt', () => assert.equal(phaseOf({ ...counters, startsAt: new Date('2026-11-22T00:00:00Z') }, now), 'Scheduled'));
  it('is Ended from endsAt on, sold out or not', () => {
    assert.equal(phaseOf({ ...counters, endsAt: now }, now), 'Ended');
    assert.equal(phaseOf({ ...counters, currentStock: 0, endsAt: now }, now), 'Ended');
  });
});

describe('desiredStatus', () => {
  it('reports the counters and the database id', () => {
    assert.deepEqual(desiredStatus(counters, now, 3, []), {
      phase: 'Open', campaignId: 7, remainingStock: 4, winners: 6, soldOutCount: 0, duplicateCount: 2, pending: 3, observedGeneration: 3, conditions: [],
    });
  });
});

describe('mergeConditions', () => {
  const wish = { type: 'StockAccepted', status: 'True' as const, reason: 'Applied', message: 'ok' };
  it('stamps a new condition with now and the generation', () => {
    assert.deepEqual(mergeConditions(undefined, [wish], 2, now), [{ ...wish, observedGeneration: 2, lastTransitionTime: now.toISOString() }]);
  });
  it('keeps the transition time while the status stays, so an unchanged status compares equal', () => {
    const first = mergeConditions(undefined, [wish], 2, now);
    const later = new Date(now.getTime() + 60_000);
    const again = mergeConditions(first, [{ ...wish, message: 'ok' }], 2, later);
    assert.deepEqual(again, first);
    assert.equal(statusDiffers({ conditions: first }, { conditions: again }), false);
  });
  it('moves the transition time when the status flips', () => {
    const first = mergeConditions(undefined, [wish], 2, now);
    const later = new Date(now.getTime() + 60_000);
    const flipped = mergeConditions(first, [{ ...wish, status: 'False', reason: 'BelowWinners' }], 3, later);
    assert.equal(flipped[0]?.lastTransitionTime, later.toISOString());
  });
  it('keeps conditions it is not told about, sorted by type', () => {
    const merged = mergeConditions([{ ...wish, type: 'Synced', lastTransitionTime: now.toISOString() }], [wish], 1, now);
    assert.deepEqual(merged.map((c) => c.type), ['StockAccepted', 'Synced']);
  });
});

describe('statusDiffers', () => {
  const s = desiredStatus(counters, now, 1, []);
  it('is false for the same status in another key order', () => {
    const shuffled = Object.fromEntries(Object.entries(s).reverse());
    assert.equal(statusDiffers(shuffled, s), false);
  });
  it('is true for any changed counter', () => {
    assert.equal(statusDiffers(s, { ...s, winners: 7 }), true);
    assert.equal(statusDiffers(s, { ...s, pending: 0 }), true);
  });
  it('is true when there is no status yet', () => assert.equal(statusDiffers(undefined, s), true));
});

describe('warmupStatus', () => {
  const spec = { displayName: 'x', totalStock: 10, startsAt: '2026-11-21T12:10:00Z', warmup: { apiReplicas: 6, leadTime: '15m' } };
  const scheduled = { ...counters, startsAt: new Date(spec.startsAt) };
  const floor = (minReplicas: number) => ({ minReplicas, warmedBy: ['c'], capped: minReplicas < 6 });
  it('is absent without spec.warmup', () => assert.equal(warmupStatus({ displayName: 'x', totalStock: 1 }, 'c', counters, now, floor(6)), undefined));
  it('reports Pending with warmFrom before the lead time', () => {
    assert.deepEqual(warmupStatus({ ...spec, warmup: { apiReplicas: 6, leadTime: '5m' } }, 'c', scheduled, now, floor(2)), { state: 'Pending', warmFrom: '2026-11-21T12:05:00.000Z' });
  });
  it('reports Warm with the floor given to the autoscaler', () => {
    assert.deepEqual(warmupStatus(spec, 'c', scheduled, now, floor(6)), { state: 'Warm', warmFrom: '2026-11-21T11:55:00.000Z', apiMinReplicas: 6 });
  });
  it('says why the floor is lower than asked, or missing', () => {
    assert.match(warmupStatus(spec, 'c', scheduled, now, floor(4))?.message ?? '', /apiReplicas 6 is above the autoscaler's maxReplicas; raised to 4/);
    assert.match(warmupStatus(spec, 'c', scheduled, now, undefined)?.message ?? '', /no API autoscaler/);
  });
  it('reports Done once sold out', () => {
    assert.deepEqual(warmupStatus({ ...spec, startsAt: '2026-11-21T11:00:00Z' }, 'c', { ...counters, startsAt: new Date('2026-11-21T11:00:00Z'), currentStock: 0 }, now, floor(2)), { state: 'Done', warmFrom: '2026-11-21T10:45:00.000Z' });
  });
});
