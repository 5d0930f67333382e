import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { durationMs, planFloor, warmFrom, warmupState, type WarmupCandidate } from './warmup-plan.js';

const at = (s: string) => new Date(`2026-12-01T${s}Z`);
const campaign = (over: Partial<WarmupCandidate> = {}): WarmupCandidate => ({
  name: 'rush',
  warmup: { apiReplicas: 6, leadTime: '10m' },
  startsAt: at('09:00:00'),
  endsAt: at('10:00:00'),
  phase: 'Scheduled',
  ...over,
});

describe('durationMs', () => {
  it('reads hours, minutes and seconds in that order', () => {
    assert.equal(durationMs('45s'), 45_000);
    assert.equal(durationMs('10m'), 600_000);
    assert.equal(durationMs('1h30m'), 5_400_000);
    assert.equal(durationMs('1h0m5s'), 3_605_000);
    assert.equal(durationMs('0s'), 0);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '10', '5m1h', '1.5h', '-1m', '10 m', '1d']) assert.throws(() => durationMs(bad), /expected a duration/, bad);
  });
});

describe('warmupState', () => {
  it('is Pending before startsAt - leadTime, Warm from then on, Done from endsAt', () => {
    assert.equal(warmupState(campaign(), at('08:49:59')), 'Pending');
    assert.equal(warmFrom(campaign()).toISOString(), at('08:50:00').toISOString());
    assert.equal(warmupState(campaign(), at('08:50:00')), 'Warm');
    assert.equal(warmupState(campaign({ phase: 'Open' }), at('09:30:00')), 'Warm');
    assert.equal(warmupState(campaign({ phase: 'Open' }), at('10:00:00')), 'Done', 'endsAt, even before the phase says Ended');
  });
  it('is Done once sold out or ended, whatever the clock', () => {
    assert.equal(warmupState(campaign({ phase: 'SoldOut' }), at('09:00:01')), 'Done');
    assert.equal(warmupState(campaign({ phase: 'Ended' }), at('08:55:00')), 'Done', 'deleted or ended early');
  });
  it('stays Warm without endsAt until it sells out', () => {
    assert.equal(warmupState(campaign({ endsAt: null, phase: 'Open' }), at('23:00:00')), 'Warm');
  });
});

describe('planFloor', () => {
  it('is the chart floor with no campaign, or none in its lead time yet', () => {
    assert.deepEqual(planFloor([], at('09:00:00'), 2, 10), { minReplicas: 2, warmedBy: [], capped: false });
    assert.deepEqual(planFloor([campaign()], at('08:00:00'), 2, 10), { minReplicas: 2, warmedBy: [], capped: false });
  });
  it('raises the floor to the warmup during it', () => {
    assert.deepEqual(planFloor([campaign()], at('08:55:00'), 2, 10), { minReplicas: 6, warmedBy: ['rush'], capped: false });
  });
  it('restores the chart floor after the campaign ends or sells out', () => {
    assert.equal(planFloor([campaign()], at('10:00:00'), 2, 10).minReplicas, 2);
    assert.equal(planFloor([campaign({ phase: 'SoldOut' })], at('09:00:02'), 2, 10).minReplicas, 2);
  });
  it('takes the highest of overlapping warmups, not their sum', () => {
    const a = campaign({ name: 'a', warmup: { apiReplicas: 4, leadTime: '30m' } });
    const b = campaign({ name: 'b', warmup: { apiReplicas: 7, leadTime: '5m' }, endsAt: at('09:20:00') });
    assert.deepEqual(planFloor([a, b], at('08:40:00'), 2, 10), { minReplicas: 4, warmedBy: ['a'], capped: false });
    assert.deepEqual(planFloor([b, a], at('09:00:00'), 2, 10), { minReplicas: 7, warmedBy: ['a', 'b'], capped: false });
    assert.equal(planFloor([a, b], at('09:20:00'), 2, 10).minReplicas, 4, 'a still warm after b ended');
  });
  it('never lowers the chart floor, and never goes above maxReplicas (the API server would refuse the HPA)', () => {
    assert.equal(planFloor([campaign({ warmup: { apiReplicas: 1, leadTime: '10m' } })], at('08:55:00'), 3, 10).minReplicas, 3);
    assert.deepEqual(planFloor([campaign({ warmup: { apiReplicas: 50, leadTime: '10m' } })], at('08:55:00'), 2, 10), { minReplicas: 10, warmedBy: ['rush'], capped: true });
  });
  it('depends only on what it is given: evaluated again at any instant, it gives the same floor (a restart loses or doubles nothing)', () => {
    const arb = fc.array(
      fc.record({
        replicas: fc.integer({ min: 1, max: 20 }),
        leadMin: fc.integer({ min: 0, max: 120 }),
        startMin: fc.integer({ min: 0, max: 600 }),
        lengthMin: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }),
        soldOut: fc.boolean(),
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 5 }), (specs, nowMin, floor) => {
        const base = at('00:00:00').getTime();
        const cs = specs.map((s, i): WarmupCandidate => ({
          name: `c${i}`,
          warmup: { apiReplicas: s.replicas, leadTime: `${s.leadMin}m` },
          startsAt: new Date(base + s.startMin * 60_000),
          endsAt: s.lengthMin === null ? null : new Date(base + (s.startMin + s.lengthMin) * 60_000),
          phase: s.soldOut ? 'SoldOut' : 'Open',
        }));
        const now = new Date(base + nowMin * 60_000);
        const plan = planFloor(cs, now, floor, 12);
        assert.deepEqual(planFloor([...cs].reverse(), now, floor, 12), plan, 'order does not matter');
        const warm = cs.filter((c) => warmupState(c, now) === 'Warm');
        assert.equal(plan.minReplicas, Math.min(12, Math.max(floor, ...warm.map((c) => c.warmup.apiReplicas))));
        assert.ok(plan.minReplicas >= Math.min(floor, 12) && plan.minReplicas <= Math.max(floor, 12));
        assert.equal(plan.capped, warm.some((c) => c.warmup.apiReplicas > Math.max(12, floor)));
      }),
    );
  });
});
