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

const stockOf = async (cache: CampaignCache, id: number) => (await cache.get(id))?.campaign.currentStock;

describe('CampaignCache', () => {
  it('serves a known campaign at once; once older than the TTL it refreshes behind the answer', async () => {
    let now = 0;
    let stock = 5;
    let loads = 0;
    const cache = new CampaignCache({ load: () => Promise.resolve((loads++, campaign(1, stock))), ttlMs: 100, maxEntries: 10, now: () => now });
    assert.equal(await stockOf(cache, 1), 5);
    stock = 0;
    now = 99;
    assert.ok(!(cache.get(1) instanceof Promise), 'a hit is answered without waiting');
    assert.equal(loads, 1);
    now = 100;
    const stale = cache.get(1);
    assert.ok(!(stale instanceof Promise), 'an old entry is served while it refreshes');
    assert.equal(stale.campaign.currentStock, 5);
    assert.equal(cache.isFresh(stale), false);
    await Promise.resolve();
    const refreshed = cache.get(1);
    assert.ok(!(refreshed instanceof Promise));
    assert.equal(refreshed.campaign.currentStock, 0);
    assert.equal(cache.isFresh(refreshed), true);
    assert.equal(loads, 2);
  });

  it('keeps serving the old entry while the database cannot be read, and refreshes once per attempt', async () => {
    let now = 0;
    let release: (() => void) | undefined;
    let loads = 0;
    let failing = false;
    const failures: unknown[] = [];
    const cache = new CampaignCache({
      load: () => {
        loads++;
        if (!failing) return Promise.resolve(campaign(1, 3));
        return new Promise((_, reject) => (release = () => reject(new Error('db frozen'))));
      },
      ttlMs: 10,
      now: () => now,
      onRefreshFailed: (_id, err) => failures.push(err),
    });
    await cache.get(1);
    failing = true;
    now = 50;
    for (let i = 0; i < 100; i++) assert.equal((cache.get(1) as { campaign: Campaign }).campaign.currentStock, 3);
    assert.equal(loads, 2, 'one refresh in flight, however many requests');
    release?.();
    await new Promise((r) => setImmediate(r));
    assert.equal(failures.length, 1);
    assert.equal(await stockOf(cache, 1), 3, 'the old entry survives a failed refresh');
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
    await Promise.all(Array.from({ length: 20 }, () => Promise.resolve(cache.get(1))));
    assert.equal(loads, 1);
  });

  it('never caches a miss, so a new campaign is found at once', async () => {
    let exists = false;
    const cache = new CampaignCache({ load: () => Promise.resolve(exists ? campaign(7, 1) : null), ttlMs: 1_000 });
    assert.equal(await cache.get(7), null);
    exists = true;
    assert.equal((await cache.get(7))?.campaign.id, 7);
  });

  it('a first load that fails fails its callers and is forgotten', async () => {
    let fail = true;
    const cache = new CampaignCache({ load: () => (fail ? Promise.reject(new Error('db down')) : Promise.resolve(campaign(1, 1))), ttlMs: 1_000 });
    await assert.rejects(Promise.resolve(cache.get(1)), /db down/);
    fail = false;
    assert.equal((await cache.get(1))?.campaign.id, 1);
  });

  it('with a TTL of 0 reads on every request, and what it read is fresh', async () => {
    let loads = 0;
    const cache = new CampaignCache({ load: () => Promise.resolve((loads++, campaign(1, 1))), ttlMs: 0 });
    const first = await cache.get(1);
    const second = await cache.get(1);
    assert.equal(loads, 2);
    assert.ok(first && second && cache.isFresh(second));
  });
});
