import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { startDbProxy } from './support/db-proxy.js';
import { decisionsOf, waitForDecisions } from './support/decisions.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { testKafka } from './support/kafka.js';
import { waitFor } from './support/process.js';

/** A consumer that cannot advance must say so, and must not be stuck where it could advance. */
describe('consumer progress', () => {
  const fx = useApiFixture('stall');

  const createCampaign = async (totalStock: number) =>
    dataOf(await request(`${fx().api.url}/api/admin/campaigns`, { body: { name: 'stall', totalStock } })).id as number;
  const participate = (campaignId: number, userId: number) => request(`${fx().api.url}/api/campaigns/${campaignId}/participation`, { body: { userId } });
  const storedOffset = async () => {
    const [row] = await fx().db.sequelize.query<{ next_offset: number }>('SELECT next_offset FROM consumer_offsets WHERE topic = ?', {
      replacements: [fx().topic],
      type: QueryTypes.SELECT,
    });
    return row === undefined ? null : row.next_offset;
  };
  const readiness = async (consumer: TestConsumer) => {
    const res = await fetch(`${consumer.metricsUrl}/readyz`);
    return { status: res.status, body: (await res.json()) as { problem?: string | null } };
  };

  const metric = async (consumer: TestConsumer, name: string) => {
    const text = await (await fetch(`${consumer.metricsUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('joining while the database refuses connections, it still resumes from a stored offset more than one fetch past the log start', async () => {
    // More than one fetch (8 MiB per partition) of log below the offset a previous consumer stored.
    const RECORDS = 96;
    const kafka = testKafka();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < RECORDS; i += 6) {
      const messages = Array.from({ length: 6 }, () => ({ value: Buffer.alloc(128 * 1024, 'x') }));
      await producer.send({ topic: fx().topic, acks: -1, messages });
    }
    await producer.disconnect();
    const first = await startTestConsumer(fx().db.config, fx().topic);
    try {
      await waitFor('the first consumer to pass the whole log', async () => (await storedOffset()) === RECORDS, 60_000);
    } finally {
      await first.stop();
    }

    const id = await createCampaign(10);
    for (const user of [1, 2, 3]) assert.equal((await participate(id, user)).status, 202);

    const proxy = await startDbProxy(fx().db.config.DB_HOST, fx().db.config.DB_PORT);
    const consumer = await startTestConsumer(fx().db.config, fx().topic, { DB_PORT: String(proxy.port) });
    try {
      await waitFor('the consumer to have failed to read the stored offset on joining', () =>
        Promise.resolve(consumer.output().includes('could not read the stored offset yet')),
      );
      await proxy.open();
      await waitForDecisions(fx().db.sequelize, id, 3, 60_000);
      const rows = await decisionsOf(fx().db.sequelize, id);
      assert.deepEqual(
        rows.map((r) => r.log_offset),
        [RECORDS, RECORDS + 1, RECORDS + 2],
      );
      assert.equal(await storedOffset(), RECORDS + 3);
      const [letters] = await fx().db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters', { type: QueryTypes.SELECT });
      assert.equal(Number(letters?.n), RECORDS, 'nothing below the stored offset set aside again');
      assert.equal((await readiness(consumer)).status, 200);
    } finally {
      await consumer.stop();
      await proxy.close();
    }
  });

  it('a batch that waits on a lock without failing is a stall too: readiness fails and the metric says so, until it moves again', async () => {
    const id = await createCampaign(10);
    const consumer = await startTestConsumer(fx().db.config, fx().topic, { CONSUMER_STALL_AFTER_MS: '1000' });
    try {
      assert.equal((await participate(id, 1)).status, 202);
      await waitForDecisions(fx().db.sequelize, id, 1);
      const [limits] = await fx().db.sequelize.query<{ wait: number }>('SELECT @@innodb_lock_wait_timeout AS wait', { type: QueryTypes.SELECT });
      // The consumer's statement must still be waiting, not failing, while the test looks.
      assert.ok(Number(limits?.wait) >= 40, `innodb_lock_wait_timeout is ${limits?.wait} s`);

      const held = await fx().db.sequelize.transaction();
      try {
        // The row every batch locks first: the next batch waits for it, with no error to report.
        await fx().db.sequelize.query('SELECT next_offset FROM consumer_offsets WHERE topic = ? FOR UPDATE', { replacements: [fx().topic], transaction: held });
        assert.equal((await participate(id, 2)).status, 202);
        await waitFor('readiness to report the stall', async () => (await readiness(consumer)).status === 503, 20_000);
        const { body } = await readiness(consumer);
        assert.match(String(body.problem), /stalled at partition 0 offset \d+ for \d+ s: no progress while the log ends at \d+/);
        assert.equal(await metric(consumer, 'fcfs_consumer_stalled'), 1);
        assert.equal((await decisionsOf(fx().db.sequelize, id)).length, 1, 'nothing decided while the lock is held');
      } finally {
        await held.commit();
      }
      await waitForDecisions(fx().db.sequelize, id, 2);
      await waitFor('ready again', async () => (await readiness(consumer)).status === 200);
      assert.equal(await metric(consumer, 'fcfs_consumer_stalled'), 0);
    } finally {
      await consumer.stop();
    }
  });
});
