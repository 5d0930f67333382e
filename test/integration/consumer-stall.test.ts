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
});
