import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { planSpecChange, stockAfterChange, type CampaignRowSpec } from './spec-plan.js';

const row: CampaignRowSpec = { name: 'Launch', totalStock: 100, successCount: 40, startsAt: null, endsAt: null };
const spec = { displayName: 'Launch', totalStock: 100 };

describe('planSpecChange', () => {
  it('does nothing when the row matches', () => {
    assert.deepEqual(planSpecChange(spec, row), { kind: 'none' });
  });

  it('compares instants, not their spelling', () => {
    const r = { ...row, startsAt: new Date('2026-12-01T00:00:00Z') };
    assert.deepEqual(planSpecChange({ ...spec, startsAt: '2026-12-01T09:00:00+09:00' }, r), { kind: 'none' });
  });

  it('raises and lowers stock down to the winners already decided', () => {
    assert.deepEqual(planSpecChange({ ...spec, totalStock: 150 }, row), { kind: 'update', change: { totalStock: 150 }, stockRefused: null });
    assert.deepEqual(planSpecChange({ ...spec, totalStock: 40 }, row), { kind: 'update', change: { totalStock: 40 }, stockRefused: null });
  });

  it('refuses stock below the winners, saying why', () => {
    const plan = planSpecChange({ ...spec, totalStock: 39 }, row);
    assert.deepEqual(plan, { kind: 'refused', stockRefused: 'totalStock 39 is below the 40 winners already decided; keeping 100' });
  });

  it('still applies the rest of a spec whose stock is refused', () => {
    const plan = planSpecChange({ displayName: 'Renamed', totalStock: 1, endsAt: '2026-12-31T00:00:00Z' }, row);
    assert.deepEqual(plan, {
      kind: 'update',
      change: { name: 'Renamed', endsAt: new Date('2026-12-31T00:00:00Z') },
      stockRefused: 'totalStock 1 is below the 40 winners already decided; keeping 100',
    });
  });

  it('sets and clears the window', () => {
    const plan = planSpecChange({ ...spec, startsAt: '2026-12-01T00:00:00Z' }, { ...row, endsAt: new Date('2027-01-01T00:00:00Z') });
    assert.deepEqual(plan, { kind: 'update', change: { startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: null }, stockRefused: null });
  });

  it('never plans stock below the winners, whatever the numbers', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (total, winners, wanted) => {
        const plan = planSpecChange({ ...spec, totalStock: wanted }, { ...row, totalStock: total, successCount: winners });
        if (plan.kind === 'update' && plan.change.totalStock !== undefined) assert.ok(plan.change.totalStock >= winners);
        const refused = plan.kind !== 'none' && plan.stockRefused !== null;
        assert.equal(refused, wanted < winners && wanted !== total);
      }),
    );
  });
});

describe('stockAfterChange', () => {
  it('moves what is left by the change of the total, so winners stay counted', () => {
    assert.equal(stockAfterChange({ totalStock: 100, currentStock: 60 }, 150), 110);
    assert.equal(stockAfterChange({ totalStock: 100, currentStock: 60 }, 40), 0);
  });
});
