import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { campaignState } from './campaign-state.js';

const at = (iso: string) => new Date(iso);
const campaign = (startsAt: string | null, endsAt: string | null, currentStock: number) => ({
  startsAt: startsAt === null ? null : at(startsAt),
  endsAt: endsAt === null ? null : at(endsAt),
  currentStock,
});

describe('campaignState', () => {
  it('is SCHEDULED before the start, whatever the stock', () => {
    assert.equal(campaignState(campaign('2026-01-02T00:00:00Z', null, 5), at('2026-01-01T23:59:59.999Z')), 'SCHEDULED');
    assert.equal(campaignState(campaign('2026-01-02T00:00:00Z', null, 0), at('2026-01-01T00:00:00Z')), 'SCHEDULED');
  });

  it('opens at the start instant and ends at the end instant', () => {
    const c = campaign('2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', 5);
    assert.equal(campaignState(c, at('2026-01-02T00:00:00Z')), 'OPEN');
    assert.equal(campaignState(c, at('2026-01-02T23:59:59.999Z')), 'OPEN');
    assert.equal(campaignState(c, at('2026-01-03T00:00:00Z')), 'ENDED');
  });

  it('puts the window before stock: an ended campaign with stock left is ENDED, not OPEN', () => {
    assert.equal(campaignState(campaign(null, '2026-01-03T00:00:00Z', 5), at('2026-02-01T00:00:00Z')), 'ENDED');
    assert.equal(campaignState(campaign(null, '2026-01-03T00:00:00Z', 0), at('2026-02-01T00:00:00Z')), 'ENDED');
  });

  it('is SOLD_OUT inside the window once stock is gone, OPEN while any is left', () => {
    assert.equal(campaignState(campaign(null, null, 0), at('2026-01-01T00:00:00Z')), 'SOLD_OUT');
    assert.equal(campaignState(campaign(null, null, 1), at('2026-01-01T00:00:00Z')), 'OPEN');
  });
});
