import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionStatus } from '../db/aggregation-run-store.js';
import { scheduledDays } from './catch-up.js';

const runs = (entries: Record<string, ExecutionStatus>) => new Map(Object.entries(entries));

describe('scheduledDays', () => {
  it('is yesterday alone when every earlier run completed or none ran', () => {
    assert.deepEqual(scheduledDays('2026-03-10', 7, runs({ '2026-03-08': 'COMPLETED' })), ['2026-03-10']);
    assert.deepEqual(scheduledDays('2026-03-10', 7, runs({})), ['2026-03-10']);
  });

  it('completes earlier PARTIAL and FAILED days first, oldest first, then yesterday', () => {
    const latest = runs({ '2026-03-09': 'PARTIAL', '2026-03-05': 'FAILED', '2026-03-07': 'COMPLETED' });
    assert.deepEqual(scheduledDays('2026-03-10', 7, latest), ['2026-03-05', '2026-03-09', '2026-03-10']);
  });

  it('leaves a day whose run is in progress to that run', () => {
    assert.deepEqual(scheduledDays('2026-03-10', 7, runs({ '2026-03-09': 'STARTED' })), ['2026-03-10']);
  });

  it('looks back exactly lookBackDays, across month and year ends', () => {
    const latest = runs({ '2025-12-31': 'PARTIAL', '2025-12-30': 'PARTIAL' });
    assert.deepEqual(scheduledDays('2026-01-02', 2, latest), ['2025-12-31', '2026-01-02']);
    assert.deepEqual(scheduledDays('2026-01-02', 3, latest), ['2025-12-30', '2025-12-31', '2026-01-02']);
  });

  it('does not look back at all with a look-back of 0', () => {
    assert.deepEqual(scheduledDays('2026-03-10', 0, runs({ '2026-03-09': 'PARTIAL' })), ['2026-03-10']);
  });

  it('leaves yesterday to the caller even when its own latest run failed', () => {
    assert.deepEqual(scheduledDays('2026-03-10', 7, runs({ '2026-03-10': 'FAILED' })), ['2026-03-10']);
  });
});
