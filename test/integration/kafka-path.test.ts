import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type { RunningApi } from '../../services/api/server.js';
import { startTestApi } from './support/api.js';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { decisionsOf, replayVerdicts, waitForDecisions } from './support/decisions.js';
import { dataOf, request } from './support/http.js';
import { deleteTopics, testKafka, uniqueTopic } from './support/kafka.js';
import { spawnEntrypoint, waitFor } from './support/process.js';

describe('Kafka path: ingest, ordered consumer, dead letters', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let consumer: TestConsumer;
  const topic = uniqueTopic('kpath');
  const extraTopics: string[] = [];

  before(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db.config, topic, { ACCEPT_FLUSH_INTERVAL_MS: '50' });
    consumer = await startTestConsumer(db.config, topic);
  });
  after(async () => {
    await consumer.stop();
    await api.close();
    await db.drop();
    await deleteTopics([topic, ...extraTopics]);
  });

  const createCampaign = async (totalStock: number) => dataOf(await request(`${api.url}/api/admin/campaigns`, { body: { name: `k${totalStock}`, totalStock } })).id as number;
  const participate = (id: number, userId: number, headers: Record<string, string> = {}) =>
    request(`${api.url}/api/campaigns/${id}/participation`, { body: { userId }, headers });

  it('2,000 concurrent requests for stock 50: all accepted ones decided, 50 winners, and a replay of the log agrees', async () => {
    const id = await createCampaign(50);
    const users = [...Array.from({ length: 1500 }, (_, i) => i + 1), ...Array.from({ length: 500 }, (_, i) => (i * 3) + 1)];
    const responses = await Promise.all(users.map((u) => participate(id, u)));

    const accepted = responses.filter((r) => r.status === 202).map(dataOf);
    for (const r of responses) {
      assert.ok(r.status === 202 || (r.status === 200 && ['SOLD_OUT', 'DUPLICATE'].includes(dataOf(r).status as string)), `unexpected ${r.status} ${JSON.stringify(r.body)}`);
    }
    assert.ok(accepted.length >= 50);
    await waitForDecisions(db.sequelize, id, accepted.length);

    const rows = await decisionsOf(db.sequelize, id);
    assert.equal(rows.length, accepted.length, 'every accepted request decided exactly once');
    const byRequest = new Map(rows.map((r) => [r.request_id, r]));
    for (const a of accepted) assert.equal(byRequest.get(a.requestId as string)?.log_offset, a.sequence, 'the 202 told the true log position');

    const winners = rows.filter((r) => r.status === 'SUCCESS').map((r) => r.user_id);
    assert.equal(winners.length, 50);
    assert.equal(new Set(winners).size, 50);
    // answers given without the log are true too: DUPLICATE to a winner, SOLD_OUT to anyone else
    responses.forEach((r, i) => {
      if (r.status !== 200) return;
      assert.equal(dataOf(r).status, winners.includes(users[i] ?? 0) ? 'DUPLICATE' : 'SOLD_OUT', `user ${users[i]}`);
    });
    assert.deepEqual(rows.map((r) => r.status), replayVerdicts(rows, 50));

    const status = dataOf(await request(`${api.url}/api/campaigns/${id}/status`));
    assert.equal(status.currentStock, 0);
    assert.equal(status.successCount, 50);
    assert.equal(status.totalParticipation, accepted.length);
    await waitFor('pending to drain', async () => dataOf(await request(`${api.url}/api/campaigns/${id}/status`)).pending === 0);

    // Once sold out, and once the ingest cache has seen it, the API answers without touching the log.
    // Until then a probe is accepted into the log (202) and simply decided SOLD_OUT later.
    let probeUser = 90_000;
    await waitFor('the ingest cache to see the campaign sold out', async () => (await participate(id, probeUser++)).status === 200);
    const late = await participate(id, 99_999);
    assert.equal(late.status, 200);
    assert.equal(dataOf(late).status, 'SOLD_OUT');
  });

  it('the same requestId sent 5 times concurrently is decided once', async () => {
    const id = await createCampaign(10);
    const responses = await Promise.all(Array.from({ length: 5 }, () => participate(id, 7, { 'Idempotency-Key': `idem-${id}` })));
    for (const r of responses) assert.ok(r.status === 202 || r.status === 200, JSON.stringify(r.body));
    for (const r of responses) assert.equal(dataOf(r).requestId, `idem-${id}`);
    await waitForDecisions(db.sequelize, id, 1);
    await waitFor('all five taken off the log', async () => dataOf(await request(`${api.url}/api/campaigns/${id}/status`)).pending === 0);
    const rows = await decisionsOf(db.sequelize, id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.status, 'SUCCESS');
    const status = dataOf(await request(`${api.url}/api/campaigns/${id}/status`));
    assert.equal(status.successCount, 1);
    assert.equal(status.totalParticipation, 1);
    // a retry after the decision is appended again without a database read, answered PENDING,
    // and taken off the log without a second decision; the lookup tells the decision
    const later = await participate(id, 7, { 'Idempotency-Key': `idem-${id}` });
    assert.equal(later.status, 202);
    assert.equal(dataOf(later).status, 'PENDING');
    await waitFor('the retry taken off the log', async () => dataOf(await request(`${api.url}/api/campaigns/${id}/status`)).pending === 0);
    assert.equal((await decisionsOf(db.sequelize, id)).length, 1, 'still decided once');
    assert.equal(dataOf(await request(`${api.url}/api/participations/idem-${id}`)).status, 'SUCCESS');
  });

  it('results are PENDING until decided, then the verdict; an unknown id is 404 once the log is drained', async () => {
    const id = await createCampaign(1);
    await consumer.stop();
    try {
      const accepted = dataOf(await participate(id, 1));
      const pending = await request(`${api.url}/api/participations/${String(accepted.requestId)}`);
      assert.equal(pending.status, 200);
      assert.equal(dataOf(pending).status, 'PENDING');
      const byUser = await request(`${api.url}/api/campaigns/${id}/participations/1`);
      assert.equal(dataOf(byUser).status, 'PENDING');
      await waitFor('accept count flushed', async () => dataOf(await request(`${api.url}/api/campaigns/${id}/status`)).pending === 1);
    } finally {
      consumer = await startTestConsumer(db.config, topic);
    }
    await waitForDecisions(db.sequelize, id, 1);
    const rows = await decisionsOf(db.sequelize, id);
    const done = await request(`${api.url}/api/participations/${rows[0]?.request_id ?? ''}`);
    assert.equal(dataOf(done).status, 'SUCCESS');
    assert.equal(typeof dataOf(done).sequence, 'number');
    assert.equal(typeof dataOf(done).decidedAt, 'string');
    const unknown = await request(`${api.url}/api/participations/never-accepted`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errorCode, 'PARTICIPATION_NOT_FOUND');
    const noUser = await request(`${api.url}/api/campaigns/${id}/participations/424242`);
    assert.equal(noUser.status, 404);
  });

  it('poison and unknown-campaign messages go to the dead-letter topic; the valid ones around them are decided', async () => {
    const id = await createCampaign(5);
    const kafka = testKafka();
    const producer = kafka.producer();
    await producer.connect();
    const valid = (user: number, rid: string) => JSON.stringify({ v: 1, requestId: rid, campaignId: id, userId: user, acceptedAt: new Date().toISOString() });
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: [
        { value: valid(1, `p-${id}-1`) },
        { value: 'this is not json' },
        { value: valid(2, `p-${id}-2`) },
        { value: JSON.stringify({ v: 1, requestId: `p-${id}-x`, campaignId: 987654, userId: 3, acceptedAt: new Date().toISOString() }) },
        { value: JSON.stringify({ v: 1, requestId: `p-${id}-y`, campaignId: id, userId: -4, acceptedAt: 'yesterday' }) },
        { value: valid(3, `p-${id}-3`) },
      ],
    });
    await producer.disconnect();
    const base = Number(meta?.baseOffset);
    await waitForDecisions(db.sequelize, id, 3);
    const rows = await decisionsOf(db.sequelize, id);
    assert.deepEqual(rows.map((r) => r.user_id), [1, 2, 3]);
    assert.deepEqual(rows.map((r) => r.status), ['SUCCESS', 'SUCCESS', 'SUCCESS']);

    const letters = await db.sequelize.query<{ log_offset: number; reason: string }>('SELECT log_offset, reason FROM dead_letters ORDER BY log_offset', { type: QueryTypes.SELECT });
    assert.deepEqual(letters.map((l) => l.log_offset), [base + 1, base + 3, base + 4]);
    assert.match(letters[0]?.reason ?? '', /not JSON/);
    assert.match(letters[1]?.reason ?? '', /unknown campaign 987654/);
    assert.match(letters[2]?.reason ?? '', /userId/);

    // the dead-letter topic carries the original bytes and where they came from
    const dlqConsumer = kafka.consumer({ groupId: `${topic}-dlq-reader` });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: `${topic}-dlq`, fromBeginning: true });
    const seen: { offset: string; reason: string; value: string }[] = [];
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ offset: String(message.headers?.['x-original-offset']), reason: String(message.headers?.['x-dlq-reason']), value: String(message.value) });
        await Promise.resolve();
      },
    });
    await waitFor('dead letters on the topic', () => Promise.resolve(seen.length >= 3));
    await dlqConsumer.disconnect();
    assert.deepEqual(seen.map((s) => Number(s.offset)), [base + 1, base + 3, base + 4]);
    assert.equal(seen[0]?.value, 'this is not json');

    const listed = await request(`${api.url}/api/admin/dlq`);
    assert.equal(listed.status, 200);
    const items = listed.body.data as { id: number; reason: string; original: { offset: number } }[];
    assert.equal(items.length, 3);
    const notJson = items.find((i) => i.original.offset === base + 1);
    assert.ok(notJson);
    const replay = await request(`${api.url}/api/admin/dlq/${notJson.id}/replay`, { method: 'POST' });
    assert.equal(replay.status, 409);
    assert.equal(replay.body.errorCode, 'DEAD_LETTER_NOT_REPLAYABLE');
    const missing = await request(`${api.url}/api/admin/dlq/999999/replay`, { method: 'POST' });
    assert.equal(missing.status, 404);

    // once its campaign exists, the unknown-campaign letter replays and is decided like any request
    await db.sequelize.query("INSERT INTO campaigns (id, name, total_stock, current_stock) VALUES (987654, 'late', 1, 1)");
    const unknown = items.find((i) => i.original.offset === base + 3);
    assert.ok(unknown);
    const replayed = await request(`${api.url}/api/admin/dlq/${unknown.id}/replay`, { method: 'POST' });
    assert.equal(replayed.status, 202, JSON.stringify(replayed.body));
    assert.equal(dataOf(replayed).requestId, `p-${id}-x`);
    await waitForDecisions(db.sequelize, 987654, 1);
    assert.equal(dataOf(await request(`${api.url}/api/participations/p-${id}-x`)).status, 'SUCCESS');
    await waitFor('the replay counted and resolved', async () => dataOf(await request(`${api.url}/api/campaigns/987654/status`)).pending === 0);
    const [accepts] = await db.sequelize.query<{ accepted: number }>('SELECT accepted FROM campaign_accepts WHERE campaign_id = 987654', { type: QueryTypes.SELECT });
    assert.equal(accepts?.accepted, 1, 'a replay is an accepted request like any other');
  });

  it('bulk publishing goes through the log and is decided like any request', async () => {
    const id = await createCampaign(100);
    const res = await request(`${api.url}/api/admin/test/participate-bulk`, { body: { campaignId: id, count: 2000, startUserId: 1 } });
    assert.equal(res.status, 200);
    assert.equal(dataOf(res).acknowledged, 2000);
    await waitForDecisions(db.sequelize, id, 2000);
    const rows = await decisionsOf(db.sequelize, id);
    assert.equal(rows.filter((r) => r.status === 'SUCCESS').length, 100);
    assert.deepEqual(rows.map((r) => r.status), replayVerdicts(rows, 100));
    const count = await request(`${api.url}/api/admin/kafka/partition-count`);
    assert.equal(dataOf(count).partitionCount, 1);
  });

  it('the consumer refuses a topic with more than one partition unless the experiment is enabled', async () => {
    const many = uniqueTopic('many');
    extraTopics.push(many);
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: many, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const refused = spawnEntrypoint('services/consumer/main.ts', {
      DB_HOST: db.config.DB_HOST,
      DB_PORT: String(db.config.DB_PORT),
      DB_USER: db.config.DB_USER,
      DB_PASSWORD: db.config.DB_PASSWORD,
      DB_NAME: db.config.DB_NAME,
      KAFKA_TOPIC: many,
      METRICS_PORT: '0',
    });
    assert.equal(await refused.exited(), 1);
    assert.match(refused.output(), /has 3 partitions/);
    const allowed = await startTestConsumer(db.config, many, { CONSUMER_ALLOW_MULTIPLE_PARTITIONS: 'true' });
    assert.equal(await allowed.stop(), 0);
  });

  it('campaign-keyed on 3 partitions with one decider per partition: every campaign decided in its own log order', async () => {
    const keyed = uniqueTopic('keyed');
    extraTopics.push(keyed);
    const partitions = { KAFKA_TOPIC_PARTITIONS: '3' };
    const deciders = await startTestConsumer(db.config, keyed, { ...partitions, CONSUMER_ALLOW_MULTIPLE_PARTITIONS: 'true', CONSUMER_PARTITIONS_CONCURRENTLY: '3' });
    const keyedApi = await startTestApi(db.config, keyed, { ...partitions, PARTITION_KEY: 'campaign' });
    try {
      const stock = 40;
      const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(async (n) => dataOf(await request(`${keyedApi.url}/api/admin/campaigns`, { body: { name: `keyed${n}`, totalStock: stock } })).id as number));
      // the campaigns' rushes arrive interleaved, so their partitions are decided side by side
      const sent = await Promise.all(
        ids.flatMap((id) => Array.from({ length: 300 }, async (_, u) => ({ id, res: await request(`${keyedApi.url}/api/campaigns/${id}/participation`, { body: { userId: (u % 250) + 1 } }) }))),
      );
      for (const { res } of sent) assert.ok([200, 202].includes(res.status), `unexpected ${res.status} ${JSON.stringify(res.body)}`);
      const usedPartitions = new Set<number | null>();
      for (const id of ids) {
        const accepted = sent.filter((s) => s.id === id && s.res.status === 202).length;
        await waitForDecisions(db.sequelize, id, accepted);
        const rows = await decisionsOf(db.sequelize, id);
        assert.equal(rows.length, accepted, `campaign ${id}: every accepted request decided once`);
        assert.equal(new Set(rows.map((r) => r.log_partition)).size, 1, `campaign ${id} lives on one partition`);
        usedPartitions.add(rows[0]?.log_partition ?? null);
        assert.equal(rows.filter((r) => r.status === 'SUCCESS').length, stock, `campaign ${id}: winners == stock`);
        assert.deepEqual(rows.map((r) => r.status), replayVerdicts(rows, stock), `campaign ${id}: decided in its log order`);
      }
      assert.ok(usedPartitions.size > 1, 'the campaigns were spread over more than one partition');
    } finally {
      await keyedApi.close();
      await deciders.stop();
    }
  });
});
