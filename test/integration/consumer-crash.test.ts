import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { startTestConsumer } from './support/consumer.js';
import { decisionsOf, replayVerdicts, waitForDecisions } from './support/decisions.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { waitFor } from './support/process.js';

const BACKLOG = 50_000;
const STOCK = 1_000;

interface Snapshot {
  rows: number;
  distinct_offsets: number;
  min_offset: number | null;
  max_offset: number | null;
  next_offset: number | null;
  success: number;
  sold_out: number;
  duplicate: number;
  resolved: number;
  stock: number;
}

describe('consumer killed in the middle of a backlog', () => {
  const fx = useApiFixture('crash');

  const snapshot = async (campaignId: number): Promise<Snapshot> => {
    const [s] = await fx().db.sequelize.query<Snapshot>(
      `SELECT (SELECT COUNT(*) FROM participations WHERE campaign_id = :id) AS \`rows\`,
              (SELECT COUNT(DISTINCT log_offset) FROM participations WHERE campaign_id = :id) AS distinct_offsets,
              (SELECT MIN(log_offset) FROM participations WHERE campaign_id = :id) AS min_offset,
              (SELECT MAX(log_offset) FROM participations WHERE campaign_id = :id) AS max_offset,
              (SELECT next_offset FROM consumer_offsets WHERE topic = :topic) AS next_offset,
              success_count AS success, sold_out_count AS sold_out, duplicate_count AS duplicate,
              log_resolved_count AS resolved, current_stock AS stock
       FROM campaigns WHERE id = :id`,
      { replacements: { id: campaignId, topic: fx().topic }, type: QueryTypes.SELECT },
    );
    assert.ok(s);
    return s;
  };

  const assertConsistent = (s: Snapshot) => {
    assert.equal(s.distinct_offsets, s.rows, 'no log position decided twice');
    if (s.rows > 0) {
      assert.equal(s.min_offset, 0, 'nothing skipped at the start');
      assert.equal(s.max_offset, s.rows - 1, 'no gaps');
    }
    assert.equal(s.next_offset, s.rows, 'the stored offset is exactly what was decided');
    assert.equal(s.success + s.sold_out + s.duplicate, s.rows, 'counters equal history');
    assert.equal(s.resolved, s.rows);
    assert.equal(s.stock, STOCK - s.success);
  };

  it('decides every message exactly once after SIGKILL and restart', async () => {
    const id = dataOf(await request(`${fx().api.url}/api/admin/campaigns`, { body: { name: 'crash', totalStock: STOCK } })).id as number;
    const bulk = await request(`${fx().api.url}/api/admin/test/participate-bulk`, { body: { campaignId: id, count: BACKLOG, startUserId: 1 } });
    assert.equal(dataOf(bulk).acknowledged, BACKLOG);

    // Small transactions so that the kill lands between many commits.
    const first = await startTestConsumer(fx().db.config, fx().topic, { CONSUMER_MAX_BATCH: '250' });
    // polled often, so that the kill lands early in the backlog
    await waitFor('5,000 decisions before the kill', async () => (await snapshot(id)).rows >= 5_000, 120_000, 20);
    first.child.kill('SIGKILL');
    await first.exited();
    const afterKill = await snapshot(id);
    assert.ok(afterKill.rows > 0 && afterKill.rows < BACKLOG, `killed mid-backlog (${afterKill.rows} of ${BACKLOG} decided)`);
    assertConsistent(afterKill);

    const second = await startTestConsumer(fx().db.config, fx().topic);
    try {
      await waitForDecisions(fx().db.sequelize, id, BACKLOG);
      // Decided up to the end of the log: nothing is left that could still be decided (twice).
      await waitFor('the consumer at the end of the log', async () => (await snapshot(id)).next_offset === BACKLOG);
      const final = await snapshot(id);
      assert.equal(final.rows, BACKLOG);
      assertConsistent(final);
      assert.equal(final.success, STOCK);
      const rows = await decisionsOf(fx().db.sequelize, id);
      assert.equal(new Set(rows.map((r) => r.request_id)).size, BACKLOG);
      assert.deepEqual(rows.map((r) => r.status), replayVerdicts(rows, STOCK));
    } finally {
      await second.stop();
    }
  });
});
