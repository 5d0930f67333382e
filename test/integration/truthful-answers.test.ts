import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { startTestConsumer } from './support/consumer.js';
import { decisionsOf, waitForDecisions } from './support/decisions.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { testKafka } from './support/kafka.js';
import { waitFor } from './support/process.js';

/** Every answer a user gets is true, and every 202 ends in something the user can look up. */
describe('truthful answers', () => {
  // No staleness: the sold-out short-circuit applies as soon as the database says so.
  const fx = useApiFixture('truth', { CAMPAIGN_CACHE_TTL_MS: '0' });

  const createCampaign = async (totalStock: number) =>
    dataOf(await request(`${fx().api.url}/api/admin/campaigns`, { body: { name: 'truth', totalStock } })).id as number;
  const participate = (campaignId: number, userId: number, requestId?: string) =>
    request(`${fx().api.url}/api/campaigns/${campaignId}/participation`, { body: requestId ? { userId, requestId } : { userId } });

  it('a requestId reused by another user is refused explicitly: the second 202 ends in a refusal the user can look up', async () => {
    const id = await createCampaign(5);
    // Both accepted before anything is decided, as with two concurrent requests.
    const [first, second] = await Promise.all([participate(id, 1, `reused-${id}`), participate(id, 2, `reused-${id}`)]);
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    const consumer = await startTestConsumer(fx().db.config, fx().topic);
    try {
      await waitForDecisions(fx().db.sequelize, id, 1);
      const lookup = (user: number) => request(`${fx().api.url}/api/campaigns/${id}/participations/${user}`);
      await waitFor('the second request refused', async () => dataOf(await lookup(2)).status === 'REFUSED');
      const refused = dataOf(await lookup(2));
      assert.equal(refused.reasonCode, 'REQUEST_ID_REUSED');
      assert.equal(refused.requestId, `reused-${id}`);
      assert.equal(typeof refused.sequence, 'number');
      assert.equal(dataOf(await lookup(1)).status, 'SUCCESS');
      assert.equal((await decisionsOf(fx().db.sequelize, id)).length, 1, 'decided once');

      const letters = (await request(`${fx().api.url}/api/admin/dlq`)).body.data as { id: number; reasonCode: string; replayable: boolean }[];
      const letter = letters.find((l) => l.reasonCode === 'REQUEST_ID_REUSED');
      assert.ok(letter, 'listed as a dead letter');
      assert.equal(letter.replayable, false);
      const replay = await request(`${fx().api.url}/api/admin/dlq/${letter.id}/replay`, { method: 'POST' });
      assert.equal(replay.status, 409);
      assert.equal(replay.body.errorCode, 'DEAD_LETTER_NOT_REPLAYABLE');
      // pending counts it as resolved: nothing stays "accepted, not decided" forever
      await waitFor('pending back to 0', async () => dataOf(await request(`${fx().api.url}/api/campaigns/${id}/status`)).pending === 0);
    } finally {
      await consumer.stop();
    }
  });

  it('after sell-out a winner is told DUPLICATE, others SOLD_OUT, recorded through the log: both answers can be looked up by requestId', async () => {
    const id = await createCampaign(2);
    const consumer = await startTestConsumer(fx().db.config, fx().topic);
    try {
      assert.equal((await participate(id, 1)).status, 202);
      assert.equal((await participate(id, 2)).status, 202);
      await waitForDecisions(fx().db.sequelize, id, 2);
      await waitFor('sold out', async () => dataOf(await request(`${fx().api.url}/api/campaigns/${id}/status`)).currentStock === 0);
      // The winners are loaded behind the first sold-out request, which goes to the log meanwhile.
      let probe = 100;
      await waitFor('the short-circuit to know the winners', async () => (await participate(id, probe++)).status === 200);

      const winner = await participate(id, 1, `again-${id}-1`);
      assert.equal(winner.status, 200, 'answered without waiting for a decision');
      assert.equal(dataOf(winner).status, 'DUPLICATE');
      const loser = await participate(id, 3);
      assert.equal(loser.status, 200);
      assert.equal(dataOf(loser).status, 'SOLD_OUT');

      for (const [answer, expected] of [
        [winner, 'DUPLICATE'],
        [loser, 'SOLD_OUT'],
      ] as const) {
        const lookup = () => request(`${fx().api.url}/api/participations/${String(dataOf(answer).requestId)}`);
        await waitFor('the answer recorded', async () => dataOf(await lookup()).status !== 'PENDING');
        const looked = await lookup();
        assert.equal(looked.status, 200, JSON.stringify(looked.body));
        assert.equal(dataOf(looked).status, expected);
        assert.equal(dataOf(looked).source, 'SHORT_CIRCUIT');
      }
      // a retry with the same requestId gets the same answer, recorded once
      assert.equal(dataOf(await participate(id, 1, `again-${id}-1`)).status, 'DUPLICATE');
      // the winning request asked again is not told DUPLICATE: it goes to the log and its lookup says SUCCESS
      const won = (await decisionsOf(fx().db.sequelize, id)).find((r) => String(r.user_id) === '1');
      const winAgain = await participate(id, 1, won?.request_id);
      assert.equal(winAgain.status, 202);
      // reusing a request id for another user is refused by the consumer, visibly
      assert.equal(dataOf(await participate(id, 4, `again-${id}-1`)).status, 'SOLD_OUT');
      await waitFor('the reused id refused', async () => dataOf(await request(`${fx().api.url}/api/campaigns/${id}/participations/4`)).status === 'REFUSED');
      await waitFor('everything taken off the log', async () => dataOf(await request(`${fx().api.url}/api/campaigns/${id}/status`)).pending === 0);
      const [answers] = await fx().db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM short_circuit_answers WHERE campaign_id = ?', {
        replacements: [id],
        type: QueryTypes.SELECT,
      });
      assert.equal(Number(answers?.n), 2 + 1, 'one answer per request id (the last probe is one)');
      // the user's standing: the win stays the win; a user only ever short-circuited has that answer
      assert.equal(dataOf(await request(`${fx().api.url}/api/campaigns/${id}/participations/1`)).status, 'SUCCESS');
      assert.equal(dataOf(await request(`${fx().api.url}/api/campaigns/${id}/participations/3`)).status, 'SOLD_OUT');
      // the answers took no stock and made no decision: the two wins stay the only wins
      assert.equal((await decisionsOf(fx().db.sequelize, id)).filter((r) => r.status === 'SUCCESS').length, 2);
    } finally {
      await consumer.stop();
    }
  });

  it('a poison record too large to copy whole does not stop the stream: valid entries behind it are decided', async () => {
    const id = await createCampaign(5);
    const kafka = testKafka();
    const producer = kafka.producer();
    await producer.connect();
    // two records of 600 kB each (fetched together they exceed the broker's 1 MiB record limit), then a valid one
    const big = (fill: string) => Buffer.alloc(600_000, fill);
    await producer.send({ topic: fx().topic, acks: -1, messages: [{ value: big('a') }] });
    await producer.send({ topic: fx().topic, acks: -1, messages: [{ value: big('b') }] });
    const valid = { v: 1, requestId: `after-poison-${id}`, campaignId: id, userId: 7, acceptedAt: new Date().toISOString() };
    await producer.send({ topic: fx().topic, acks: -1, messages: [{ value: JSON.stringify(valid) }] });
    await producer.disconnect();

    const consumer = await startTestConsumer(fx().db.config, fx().topic);
    try {
      await waitForDecisions(fx().db.sequelize, id, 1);
      await waitFor('both dead letters copied to their topic', async () => {
        const [row] = await fx().db.sequelize.query<{ n: number }>(
          "SELECT COUNT(*) AS n FROM dead_letters WHERE payload_bytes = 600000 AND published_at IS NOT NULL AND reason_code = 'POISON'",
          { type: QueryTypes.SELECT },
        );
        return Number(row?.n) === 2;
      });
      const dlq = kafka.consumer({ groupId: `${fx().topic}-dlq-check` });
      await dlq.connect();
      await dlq.subscribe({ topic: `${fx().topic}-dlq`, fromBeginning: true });
      const copies: { bytes: number; truncated: string; original: string }[] = [];
      await dlq.run({
        eachMessage: async ({ message }) => {
          copies.push({
            bytes: message.value?.length ?? 0,
            truncated: String(message.headers?.['x-payload-truncated']),
            original: String(message.headers?.['x-original-payload-bytes']),
          });
          await Promise.resolve();
        },
      });
      // the suite's dead-letter topic also holds the letters of the other tests
      const large = () => copies.filter((c) => c.original === '600000');
      await waitFor('the copies on the dead-letter topic', () => Promise.resolve(large().length >= 2));
      await dlq.disconnect();
      for (const c of large()) {
        assert.equal(c.truncated, 'true');
        assert.ok(c.bytes < 600_000);
      }
      assert.equal((await fetch(`${consumer.metricsUrl}/readyz`)).status, 200);
    } finally {
      await consumer.stop();
    }
  });

  it('a consumer that cannot advance says so: readiness fails with the reason, the lag is true, and it recovers', async () => {
    const id = await createCampaign(5);
    const consumer = await startTestConsumer(fx().db.config, fx().topic, { CONSUMER_STALL_AFTER_MS: '1000', CONSUMER_LAG_INTERVAL_MS: '200' });
    const metric = async (name: string) => {
      const text = await (await fetch(`${consumer.metricsUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(name));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    try {
      assert.equal((await participate(id, 1)).status, 202);
      await waitForDecisions(fx().db.sequelize, id, 1);
      // Every later batch fails until the table is back: the consumer can take nothing off the log.
      await fx().db.sequelize.query('RENAME TABLE participations TO participations_away');
      try {
        for (const user of [2, 3, 4]) assert.equal((await participate(id, user)).status, 202);
        await waitFor('readiness to report the stall', async () => (await fetch(`${consumer.metricsUrl}/readyz`)).status === 503);
        const body = (await (await fetch(`${consumer.metricsUrl}/readyz`)).json()) as { problem: string };
        assert.match(body.problem, /stalled at partition 0 offset \d+ for \d+ s: .*participations/);
        await waitFor('the lag to show the backlog', async () => (await metric('fcfs_consumer_lag{')) === 3);
        assert.equal(await metric('fcfs_consumer_stalled'), 1);
      } finally {
        await fx().db.sequelize.query('RENAME TABLE participations_away TO participations');
      }
      await waitForDecisions(fx().db.sequelize, id, 4);
      await waitFor('ready again', async () => (await fetch(`${consumer.metricsUrl}/readyz`)).status === 200);
      await waitFor('lag back to 0', async () => (await metric('fcfs_consumer_lag{')) === 0);
      assert.equal(await metric('fcfs_consumer_stalled'), 0);
    } finally {
      await consumer.stop();
    }
  });
});
