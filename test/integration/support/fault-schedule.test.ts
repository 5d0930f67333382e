import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAULT_TARGETS, faultSchedule, seededRandom } from './fault-schedule.js';

const options = { durationMs: 120_000, outageMs: { min: 2_000, max: 6_000 }, gapMs: { min: 3_000, max: 5_000 } };

describe('faultSchedule', () => {
  it('is the same schedule for the same seed, and another for another seed', () => {
    assert.deepEqual(faultSchedule(42, options), faultSchedule(42, options));
    assert.notDeepEqual(faultSchedule(42, options), faultSchedule(43, options));
    assert.notEqual(seededRandom(1)(), seededRandom(2)());
  });

  it('keeps faults apart and within their bounds, and starts them within the duration after the first round', () => {
    for (const seed of [1, 7, 2026, 4_294_967_295]) {
      const faults = faultSchedule(seed, options);
      let end = 0;
      for (const f of faults) {
        assert.ok(f.atMs >= end + options.gapMs.min && f.atMs <= end + options.gapMs.max, `seed ${seed}: ${JSON.stringify(f)} after ${end}`);
        assert.ok(f.outageMs >= options.outageMs.min && f.outageMs <= options.outageMs.max);
        assert.ok(f.atMs < options.durationMs || faults.indexOf(f) < 8);
        end = f.atMs + f.outageMs;
      }
    }
  });

  it('hits every process with both kinds of fault before repeating one, however short the run', () => {
    for (const durationMs of [1, options.durationMs]) {
      const faults = faultSchedule(5, { ...options, durationMs }).slice(0, FAULT_TARGETS.length * 2);
      assert.equal(faults.length, 8);
      assert.equal(new Set(faults.map((f) => `${f.target} ${f.kind}`)).size, 8);
    }
  });
});
