import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { startTestConsumer } from './support/consumer.js';
import { waitForDecisions } from './support/decisions.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { waitFor } from './support/process.js';

const BACKLOG = 20_000;
// Far above what a restart should take: were the replacement to wait for the dead process's
// Kafka session to expire, it could not resume before this.
const SESSION_TIMEOUT_MS = 45_000;

describe('consumer recovery after a crash', () => {
  const fx = useApiFixture('recovery');

  const decided = async (campaignId: number) => {
    const [row] = await fx().db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?', {
      replacements: [campaignId],
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };

  it('a replacement resumes deciding at once, without waiting for the dead member’s session', async () => {
    const id = dataOf(await request(`${fx().api.url}/api/admin/campaigns`, { body: { name: 'recovery', totalStock: 100 } })).id as number;
    const bulk = await request(`${fx().api.url}/api/admin/test/participate-bulk`, { body: { campaignId: id, count: BACKLOG, startUserId: 1 } });
    assert.equal(dataOf(bulk).acknowledged, BACKLOG, JSON.stringify(bulk.body));
    const env = { CONSUMER_MAX_BATCH: '250', CONSUMER_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) };

    const first = await startTestConsumer(fx().db.config, fx().topic, env);
    await waitFor('the first consumer to decide part of the backlog', async () => (await decided(id)) >= 2_000, 60_000);
    first.child.kill('SIGKILL');
    await first.exited();
    const atKill = await decided(id);
    assert.ok(atKill < BACKLOG, 'killed mid-backlog');

    const second = await startTestConsumer(fx().db.config, fx().topic, env);
    try {
      const ready = performance.now();
      await waitFor('decisions to resume', async () => (await decided(id)) > atKill, SESSION_TIMEOUT_MS);
      const resumedMs = Math.round(performance.now() - ready);
      console.log(`# decisions resumed ${resumedMs} ms after the replacement consumer was ready`);
      assert.ok(resumedMs < SESSION_TIMEOUT_MS, `resumed after ${resumedMs} ms`);
      await waitForDecisions(fx().db.sequelize, id, BACKLOG);
      assert.equal(await decided(id), BACKLOG, 'nothing lost, nothing decided twice');
    } finally {
      await second.stop();
    }
  });
});
