import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planSpecChange, type CampaignRowSpec } from './spec-plan.js';

const row: CampaignRowSpec = { name: 'Launch', totalStock: 100, startsAt: null, endsAt: null };
const spec = { displayName: 'Launch', totalStock: 100 };

describe('planSpecChange', () => {
  it('does nothing when the row matches', () => {
    assert.deepEqual(planSpecChange(spec, row), { kind: 'none' });
  });

  it('compares instants, not their spelling', () => {
    const r = { ...row, startsAt: new Date('2026-12-01T00:00:00Z') };
    assert.deepEqual(planSpecChange({ ...spec, startsAt: '2026-12-01T09:00:00+09:00' }, r), { kind: 'none' });
  });

  it('passes a raised or lowered stock on, for the store to judge under its lock', () => {
    assert.deepEqual(planSpecChange({ ...spec, totalStock: 150 }, row), { kind: 'update', change: { totalStock: 150 } });
    assert.deepEqual(planSpecChange({ ...spec, totalStock: 40 }, row), { kind: 'update', change: { totalStock: 40 } });
  });

  it('plans the rest of a spec along with its stock', () => {
    const plan = planSpecChange({ displayName: 'Renamed', totalStock: 1, endsAt: '2026-12-31T00:00:00Z' }, row);
    assert.deepEqual(plan, { kind: 'update', change: { name: 'Renamed', totalStock: 1, endsAt: new Date('2026-12-31T00:00:00Z') } });
  });

  it('sets and clears the window', () => {
    const plan = planSpecChange({ ...spec, startsAt: '2026-12-01T00:00:00Z' }, { ...row, endsAt: new Date('2027-01-01T00:00:00Z') });
    assert.deepEqual(plan, { kind: 'update', change: { startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: null } });
  });
});
