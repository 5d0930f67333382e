import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';

/** SUM() comes back as DECIMAL, which the driver hands over as a string. */
interface Counts {
  success: string;
  sold_out: string;
  duplicate: string;
  distinct_winners: number;
}

describe('synchronous participation against MariaDB', () => {
  const fx = useApiFixture('sync');

  const createCampaign = async (totalStock: number) => {
    const res = await request(`${fx().api.url}/api/admin/campaigns`, { body: { name: `stock ${totalStock}`, totalStock } });
    assert.equal(res.status, 201);
    return dataOf(res).id as number;
  };

  /** 300 distinct users, then 200 repeats of some of them, interleaved and fired at once. */
  const userIds = () => {
    const users = Array.from({ length: 300 }, (_, i) => 1000 + i);
    const repeats = Array.from({ length: 200 }, (_, i) => 1000 + ((i * 7) % 300));
    return [...users, ...repeats].sort((a, b) => ((a * 2654435761) % 1000) - ((b * 2654435761) % 1000));
  };

  const fire = async (campaignId: number) => {
    const responses = await Promise.all(userIds().map((userId) => request(`${fx().api.url}/api/campaigns/${campaignId}/participation-sync`, { body: { userId } })));
    for (const r of responses) assert.equal(r.status, 200, JSON.stringify(r.body));
    return responses.map((r) => dataOf(r));
  };

  const historyCounts = async (campaignId: number) =>
    (
      await fx().db.sequelize.query<Counts>(
        `SELECT SUM(status = 'SUCCESS') AS success, SUM(status = 'SOLD_OUT') AS sold_out, SUM(status = 'DUPLICATE') AS duplicate,
                COUNT(DISTINCT IF(status = 'SUCCESS', user_id, NULL)) AS distinct_winners
         FROM participations WHERE campaign_id = ?`,
        { replacements: [campaignId], type: QueryTypes.SELECT },
      )
    )[0];

  const statusOf = async (campaignId: number) => dataOf(await request(`${fx().api.url}/api/campaigns/${campaignId}/status`));

  it('500 concurrent requests from 300 users for stock 50: exactly 50 distinct winners, none twice, stock 0', async () => {
    const id = await createCampaign(50);
    const results = await fire(id);
    const winners = results.filter((r) => r.status === 'SUCCESS').map((r) => r.userId);
    assert.equal(winners.length, 50);
    assert.equal(new Set(winners).size, 50);
    assert.equal(results.length, 500);

    const counts = await historyCounts(id);
    assert.ok(counts);
    assert.equal(Number(counts.success), 50);
    assert.equal(counts.distinct_winners, 50);
    assert.equal(Number(counts.success) + Number(counts.sold_out) + Number(counts.duplicate), 500);

    const status = await statusOf(id);
    assert.equal(status.currentStock, 0);
    assert.equal(status.successCount, 50);
    assert.equal(status.failCount, Number(counts.sold_out) + Number(counts.duplicate));
    assert.equal(status.soldOutCount, Number(counts.sold_out));
    assert.equal(status.duplicateCount, Number(counts.duplicate));
    assert.equal(status.totalParticipation, 500);
    assert.equal(status.stockUsageRate, '100.00%');
  });

  it('stock larger than demand: every distinct user wins once, every repeat is a DUPLICATE', async () => {
    const id = await createCampaign(1000);
    const results = await fire(id);
    assert.equal(results.filter((r) => r.status === 'SUCCESS').length, 300);
    assert.equal(results.filter((r) => r.status === 'DUPLICATE').length, 200);
    assert.equal(results.filter((r) => r.status === 'SOLD_OUT').length, 0);
    const status = await statusOf(id);
    assert.equal(status.currentStock, 700);
    assert.equal(status.successCount, 300);
    assert.equal(status.duplicateCount, 200);
    assert.equal(status.stockUsageRate, '30.00%');
  });

  it('a user who already won is a DUPLICATE even after sell-out; others are SOLD_OUT', async () => {
    const id = await createCampaign(1);
    const first = dataOf(await request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 1 } }));
    const again = dataOf(await request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 1 } }));
    const other = dataOf(await request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 2 } }));
    assert.deepEqual([first.status, again.status, other.status], ['SUCCESS', 'DUPLICATE', 'SOLD_OUT']);
  });

  it('result lookup by campaign and user reports the win and the attempts', async () => {
    const id = await createCampaign(2);
    await request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 5 } });
    await request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 5 } });
    const res = await request(`${fx().api.url}/api/campaigns/${id}/participations/5`);
    assert.equal(res.status, 200);
    assert.equal(dataOf(res).status, 'SUCCESS');
    assert.equal(dataOf(res).attempts, 2);
    const none = await request(`${fx().api.url}/api/campaigns/${id}/participations/6`);
    assert.equal(none.status, 404);
    assert.equal(none.body.errorCode, 'PARTICIPATION_NOT_FOUND');
  });

  it('a retried requestId is decided once, also when the retries race', async () => {
    const id = await createCampaign(10);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 9 }, headers: { 'Idempotency-Key': 'retry-key-1' } })),
    );
    for (const r of responses) {
      assert.equal(r.status, 200);
      assert.equal(dataOf(r).status, 'SUCCESS');
      assert.equal(dataOf(r).requestId, 'retry-key-1');
    }
    const status = await statusOf(id);
    assert.equal(status.totalParticipation, 1);
    const byId = await request(`${fx().api.url}/api/participations/retry-key-1`);
    assert.equal(dataOf(byId).status, 'SUCCESS');
    const misuse = await request(`${fx().api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 10, requestId: 'retry-key-1' } });
    assert.equal(misuse.status, 409);
    assert.equal(misuse.body.errorCode, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('lists campaigns newest first', async () => {
    const a = await createCampaign(3);
    const b = await createCampaign(4);
    const res = await request(`${fx().api.url}/api/admin/campaigns?size=2`);
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body.data));
    assert.deepEqual((res.body.data as { id: number }[]).map((c) => c.id), [b, a]);
    assert.ok(Number(res.headers.get('x-total-count')) >= 2);
  });
});
