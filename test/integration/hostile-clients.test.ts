import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type { RunningApi } from '../../services/api/server.js';
import { sqlDateTime } from '../../services/db/datetime.js';
import { startTestApi } from './support/api.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { deleteTopics, testKafka, uniqueTopic } from './support/kafka.js';
import { dataOf, request } from './support/http.js';
import { freePort, waitFor } from './support/process.js';

const TOKEN = 'a-test-admin-token-of-some-length';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('hostile and careless clients', () => {
  let db: TestDatabase;
  const topic = uniqueTopic('hostile');
  const apis: RunningApi[] = [];
  const start = async (env: Record<string, string>) => {
    const api = await startTestApi(db.config, topic, env);
    apis.push(api);
    return api;
  };
  const createCampaign = async (api: RunningApi, name: string, stock: number, headers: Record<string, string> = {}) =>
    dataOf(await request(`${api.url}/api/admin/campaigns`, { body: { name, totalStock: stock }, headers })).id as number;
  const countRows = async (campaignId: number) =>
    (await db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?', { replacements: [campaignId], type: QueryTypes.SELECT }))[0]?.n ?? 0;

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    for (const api of apis) await api.close();
    await db.drop();
    await deleteTopics([topic]);
  });

  describe('admin access and bind address', () => {
    it('listens on loopback only unless HOST says otherwise', async () => {
      const api = await start({ ADMIN_AUTH: 'token', ADMIN_TOKEN: TOKEN });
      assert.equal((api.server.address() as AddressInfo).address, '127.0.0.1');
    });

    it('with the default ADMIN_AUTH, admin endpoints need the token; participation stays public', async () => {
      const api = await start({ ADMIN_AUTH: '', ADMIN_TOKEN: TOKEN });
      const none = await request(`${api.url}/api/admin/campaigns`, { body: { name: 'x', totalStock: 1 } });
      assert.equal(none.status, 401);
      assert.equal(none.body.errorCode, 'UNAUTHORIZED');
      const id = await createCampaign(api, 'guarded', 1, auth);
      assert.equal((await request(`${api.url}/api/campaigns/${id}/status`)).status, 200);
    });
  });

  describe('participate-bulk', () => {
    it('refuses a count above BULK_MAX_COUNT, naming the limit, and publishes nothing', async () => {
      const api = await start({ BULK_MAX_COUNT: '1000' });
      const id = await createCampaign(api, 'bulk-bound', 10);
      const res = await request(`${api.url}/api/admin/test/participate-bulk`, { body: { campaignId: id, count: 1001 } });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.errorCode, 'VALIDATION_FAILED');
      assert.match(res.body.message, /body\.count: .*1000.*BULK_MAX_COUNT/);
    });

    it('publishes in chunks and counts what the broker acknowledged', async () => {
      const api = await start({});
      const id = await createCampaign(api, 'bulk-ok', 10);
      const res = await request(`${api.url}/api/admin/test/participate-bulk`, { body: { campaignId: id, count: 12_345, startUserId: 7 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const d = dataOf(res);
      assert.deepEqual([d.requested, d.acknowledged, d.notConfirmed, d.notSent], [12_345, 12_345, 0, 0]);
      const admin = testKafka().admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchTopicOffsets(topic);
        assert.ok(Number(offsets?.high) >= 12_345, 'every acknowledged entry is in the log');
      } finally {
        await admin.disconnect();
      }
    });

    it('with the broker away, reports entries as not confirmed (never "failed") and stops after the first chunk', async () => {
      const api = await start({ KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, PRODUCE_TIMEOUT_MS: '300' });
      const id = await createCampaign(api, 'bulk-away', 10);
      const res = await request(`${api.url}/api/admin/test/participate-bulk`, { body: { campaignId: id, count: 5_001 } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const d = dataOf(res);
      assert.deepEqual([d.requested, d.acknowledged, d.notConfirmed, d.notSent], [5_001, 0, 5_000, 1]);
      assert.equal('failed' in d, false);
      assert.match(res.body.message, /not confirmed may still be in the log/);
    });
  });

  describe('order analysis', () => {
    let api: RunningApi;
    let id: number;
    before(async () => {
      api = await start({ HEAVY_QUERY_TIMEOUT_MS: '500' });
      id = await createCampaign(api, 'order', 10);
      // decision order = insertion order; arrivals (seconds): 10, 30, 20, 40, 15, 50
      const arrivals = [10, 30, 20, 40, 15, 50];
      for (const [i, s] of arrivals.entries()) {
        const at = sqlDateTime(new Date(Date.UTC(2026, 0, 1, 0, 0, s)));
        await db.sequelize.query(
          "INSERT INTO participations (request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at) VALUES (?, ?, ?, 'SOLD_OUT', 'KAFKA', 0, ?, ?, ?)",
          { replacements: [`order-${i}`, id, i + 1, i, at, at] },
        );
      }
    });

    it('finds each decision that overtook an earlier arrival, with its delay', async () => {
      const a = dataOf(await request(`${api.url}/api/admin/stats/order-analysis/${id}`));
      // user 3 (20 s) waited for 30 s: 10 s; user 5 (15 s) waited for 40 s: 25 s
      assert.deepEqual(
        { total: a.totalDecisions, violations: a.violations, max: a.maxDelayMs, avg: a.avgDelayMs, partitions: a.partitions },
        { total: 6, violations: 2, max: 25_000, avg: 17_500, partitions: [{ partition: 0, decisions: 6 }] },
      );
      const v = dataOf(await request(`${api.url}/api/admin/stats/order-violations/${id}?limit=1`));
      assert.equal(v.totalViolations, 2);
      assert.deepEqual(
        (v.items as { userId: number; delayMs: number; overtakenBy: string }[]).map((i) => [i.userId, i.delayMs, i.overtakenBy]),
        [[5, 25_000, '2026-01-01T00:00:40.000Z']],
      );
    });

    it('stops a heavy query that exceeds HEAVY_QUERY_TIMEOUT_MS with 504 QUERY_TIMEOUT', { timeout: 60_000 }, async () => {
      // a table lock keeps the query waiting for as long as the test likes
      const lock = await db.sequelize.transaction();
      try {
        await db.sequelize.query('LOCK TABLES participations WRITE', { transaction: lock });
        const res = await request(`${api.url}/api/admin/stats/order-analysis/${id}`);
        assert.equal(res.status, 504, JSON.stringify(res.body));
        assert.equal(res.body.errorCode, 'QUERY_TIMEOUT');
        assert.match(res.body.message, /HEAVY_QUERY_TIMEOUT_MS/);
        const raw = await request(`${api.url}/api/admin/stats/raw?date=2026-01-01`);
        assert.equal(raw.status, 504, JSON.stringify(raw.body));
      } finally {
        await db.sequelize.query('UNLOCK TABLES', { transaction: lock });
        await lock.rollback();
      }
    });

    it('kills the query when the client goes away', { timeout: 60_000 }, async () => {
      const slow = await start({ HEAVY_QUERY_TIMEOUT_MS: '3600000' });
      const running = async () =>
        (
          await db.sequelize.query<{ n: number }>(
            "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE '%FROM participations WHERE campaign_id%' AND INFO NOT LIKE '%PROCESSLIST%'",
            { replacements: [db.config.DB_NAME], type: QueryTypes.SELECT },
          )
        )[0]?.n ?? 0;
      const lock = await db.sequelize.transaction();
      try {
        await db.sequelize.query('LOCK TABLES participations WRITE', { transaction: lock });
        const client = new AbortController();
        const gone = fetch(`${slow.url}/api/admin/stats/order-analysis/${id}`, { signal: client.signal }).catch((err: unknown) => err);
        await waitFor('the query to be running', async () => (await running()) === 1);
        client.abort();
        await gone;
        // still locked: only a KILL can have ended it
        await waitFor('the query to be killed', async () => (await running()) === 0, 10_000);
      } finally {
        await db.sequelize.query('UNLOCK TABLES', { transaction: lock });
        await lock.rollback();
      }
      // the pool is still usable afterwards
      assert.equal((await request(`${slow.url}/api/admin/stats/order-analysis/${id}`)).status, 200);
    });
  });

  describe('rate limits on the participation paths', () => {
    const limited = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_USER_PER_SEC: '0.001', RATE_LIMIT_USER_BURST: '2', RATE_LIMIT_ADDRESS_PER_SEC: '0.001', RATE_LIMIT_ADDRESS_BURST: '5' };

    it('limits a user and an address with 429 RATE_LIMITED and Retry-After, recording nothing refused', async () => {
      const api = await start(limited);
      const id = await createCampaign(api, 'limited', 100);
      const sync = (userId: number) => request(`${api.url}/api/campaigns/${id}/participation-sync`, { body: { userId } });
      assert.deepEqual([(await sync(1)).status, (await sync(1)).status], [200, 200]);
      const third = await sync(1);
      assert.equal(third.status, 429, JSON.stringify(third.body));
      assert.equal(third.body.errorCode, 'RATE_LIMITED');
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
      assert.equal(dataOf(third).retryAfterSeconds, Number(third.headers.get('retry-after')));
      // the address had 5 tokens; user 1 spent 3 of them
      assert.deepEqual([(await sync(2)).status, (await sync(3)).status], [200, 200]);
      const overAddress = await request(`${api.url}/api/campaigns/${id}/participation`, { body: { userId: 4 } });
      assert.equal(overAddress.status, 429);
      assert.match(overAddress.body.message, /client address/);
      assert.equal(await countRows(id), 4);
    });

    it('keys the address by X-Forwarded-For only when TRUST_PROXY says a proxy is in front', async () => {
      const open = { ...limited, RATE_LIMIT_USER_BURST: '1000' };
      const proxied = await start({ ...open, TRUST_PROXY: '1' });
      const direct = await start(open);
      const id = await createCampaign(direct, 'proxied', 1_000);
      const burst = async (api: RunningApi, from: string, first: number) => {
        const statuses: number[] = [];
        for (let u = first; u < first + 6; u++) {
          statuses.push((await request(`${api.url}/api/campaigns/${id}/participation`, { body: { userId: u }, headers: { 'x-forwarded-for': from } })).status);
        }
        return statuses;
      };
      assert.deepEqual(await burst(proxied, '198.51.100.1', 100), [202, 202, 202, 202, 202, 429]);
      assert.deepEqual(await burst(proxied, '198.51.100.2', 200), [202, 202, 202, 202, 202, 429], 'another client behind the proxy has its own bucket');
      // without TRUST_PROXY the header is the client's word and is ignored: one bucket
      assert.deepEqual(await burst(direct, '198.51.100.3', 300), [202, 202, 202, 202, 202, 429]);
      assert.deepEqual(await burst(direct, '198.51.100.4', 400), [429, 429, 429, 429, 429, 429]);
    });
  });
});
