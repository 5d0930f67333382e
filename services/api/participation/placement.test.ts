import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { partitionOf } from './placement.js';

describe('partitionOf', () => {
  it('one partition takes everything, whatever the key', () => {
    fc.assert(
      fc.property(fc.constantFrom('user' as const, 'campaign' as const), fc.nat(), fc.nat(), (key, campaignId, userId) => {
        assert.equal(partitionOf(key, 1, { campaignId, userId }), 0);
      }),
    );
  });

  it('campaign-keyed: every request of a campaign lands on one partition, in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.nat(), fc.array(fc.nat(), { minLength: 2 }), (partitions, campaignId, users) => {
        const placed = new Set(users.map((userId) => partitionOf('campaign', partitions, { campaignId, userId })));
        assert.equal(placed.size, 1);
        const [p] = placed;
        assert.ok(p !== undefined && p >= 0 && p < partitions);
      }),
    );
  });

  it('user-keyed: consecutive users of one campaign spread over every partition', () => {
    const placed = new Set(Array.from({ length: 5 }, (_, i) => partitionOf('user', 5, { campaignId: 7, userId: 100 + i })));
    assert.deepEqual([...placed].sort(), [0, 1, 2, 3, 4]);
  });

  it('campaign-keyed: consecutive campaigns spread over every partition', () => {
    const placed = new Set(Array.from({ length: 3 }, (_, i) => partitionOf('campaign', 3, { campaignId: 10 + i, userId: 1 })));
    assert.equal(placed.size, 3);
  });
});
