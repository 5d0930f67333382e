import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Campaign } from '../../db/campaign-store.js';
import { CampaignCache } from './campaign-cache.js';

const campaign = (id: number, currentStock: number): Campaign => ({
  id,
  name: 'c',
  totalStock: 10,
  currentStock,
  successCount: 0,
  soldOutCount: 0,
  duplicateCount: 0,
  startsAt: null,
  endsAt: null,
  createdAt: new Date(0),
});

describe('CampaignCache', () => {
  it('serves a hit until the TTL passes, then loads again', async () => {
    let now = 0;
    let stock = 5;
    let loads = 0;
    const cache = new CampaignCache({ load: () => Promise.resolve((loads++, campaign(1, stock))), ttlMs: 100, maxEntries: 10, now: () => now });
    assert.equal((await cache.get(1))?.currentStock, 5);
    stock = 0;
    now = 99;
    assert.equal((await cache.get(1))?.currentStock, 5);
    now = 100;
    assert.equal((await cache.get(1))?.currentStock, 0);
    assert.equal(loads, 2);
  });

  it('shares one load among concurrent misses', async () => {
    let loads = 0;
    const cache = new CampaignCache({
      load: async () => {
        loads++;
        await new Promise((r) => setTimeout(r, 10));
        return campaign(1, 1);
      },
      ttlMs: 1_000,
    });
    await Promise.all(Array.from({ length: 20 }, () => cache.get(1)));
    assert.equal(loads, 1);
  });

  it('never caches a miss, so a new campaign is found at once', async () => {
    let exists = false;
    const cache = new CampaignCache({ load: () => Promise.resolve(exists ? campaign(7, 1) : null), ttlMs: 1_000 });
    assert.equal(await cache.get(7), null);
    exists = true;
    assert.equal((await cache.get(7))?.id, 7);
  });

  it('forgets a failed load', async () => {
    let fail = true;
    const cache = new CampaignCache({ load: () => (fail ? Promise.reject(new Error('db down')) : Promise.resolve(campaign(1, 1))), ttlMs: 1_000 });
    await assert.rejects(cache.get(1), /db down/);
    fail = false;
    assert.equal((await cache.get(1))?.id, 1);
  });
});
