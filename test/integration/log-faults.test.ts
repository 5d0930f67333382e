import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { encodeParticipation } from '../../services/kafka/participation-message.js';
import { fetchTopicId } from '../../services/kafka/topic-id.js';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { decisionsOf, waitForDecisions } from './support/decisions.js';
import { useApiFixture, type ApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { brokers, testKafka } from './support/kafka.js';
import { waitFor } from './support/process.js';

/** A log that is not the one the stored offset was committed for: the consumer stops and says why. */

const createCampaign = async (fx: ApiFixture, totalStock: number) =>
  dataOf(await request(`${fx.api.url}/api/admin/campaigns`, { body: { name: 'log-faults', totalStock } })).id as number;

const participate = async (fx: ApiFixture, campaignId: number, users: readonly number[]) => {
  for (const userId of users) assert.equal((await request(`${fx.api.url}/api/campaigns/${campaignId}/participation`, { body: { userId } })).status, 202);
};

const storedRow = async <R extends object>(fx: ApiFixture, columns: string) => {
  const [row] = await fx.db.sequelize.query<R>(`SELECT ${columns} FROM consumer_offsets WHERE topic = ?`, { replacements: [fx.topic], type: QueryTypes.SELECT });
  return row;
};
const storedOffset = async (fx: ApiFixture) => (await storedRow<{ next_offset: number }>(fx, 'next_offset'))?.next_offset;

const readiness = async (consumer: TestConsumer) => {
  const res = await fetch(`${consumer.metricsUrl}/readyz`);
  return { status: res.status, problem: String(((await res.json()) as { problem?: string | null }).problem) };
};

const stalledMetric = async (consumer: TestConsumer) => {
  const line = (await (await fetch(`${consumer.metricsUrl}/metrics`)).text()).split('\n').find((l) => /^fcfs_consumer_stalled[ {]/.test(l));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

const deadLetters = async (fx: ApiFixture) => {
  const [row] = await fx.db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters', { type: QueryTypes.SELECT });
  return Number(row?.n);
};

/** Deletes the fixture's topic and creates it again: a new log, from offset 0, under a new id. */
async function recreateTopic(fx: ApiFixture): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [fx.topic], timeout: 10_000 });
    // the broker refuses the name while the deletion is still going on
    await waitFor('the topic created again', () =>
      admin.createTopics({ topics: [{ topic: fx.topic, numPartitions: 1 }], waitForLeaders: true }).then((created) => created || true),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Accepted entries written straight to the log, one per user, in one produce request. */
async function appendEntries(fx: ApiFixture, campaignId: number, users: readonly number[]): Promise<void> {
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic: fx.topic,
      acks: -1,
      messages: users.map((userId) => ({
        partition: 0,
        value: encodeParticipation({ v: 1, requestId: randomUUID(), campaignId, userId, acceptedAt: new Date().toISOString() }),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Decides users 1..3 through the real API and consumer, then stops the consumer. */
async function decideThree(fx: ApiFixture, campaignId: number): Promise<void> {
  const consumer = await startTestConsumer(fx.db.config, fx.topic);
  try {
    await participate(fx, campaignId, [1, 2, 3]);
    await waitForDecisions(fx.db.sequelize, campaignId, 3);
    await waitFor('the offset stored past the three', async () => (await storedOffset(fx)) === 3);
  } finally {
    await consumer.stop();
  }
}

describe('a recreated topic', () => {
  const fx = useApiFixture('recreated');

  it('is refused with both topic ids named: nothing of the new log is skipped or decided, and the lag counts it', async () => {
    const campaignId = await createCampaign(fx(), 100);
    await decideThree(fx(), campaignId);
    const oldId = await fetchTopicId(brokers(), fx().topic, 'integration-test');

    await recreateTopic(fx());
    const newId = await fetchTopicId(brokers(), fx().topic, 'integration-test');
    assert.notEqual(newId, oldId);

    // Five accepted entries at offsets 0..4 of the new log: a consumer trusting the stored offset 3
    // would skip the first three as already decided and decide the last two.
    await appendEntries(fx(), campaignId, [4, 5, 6, 7, 8]);

    const consumer = await startTestConsumer(fx().db.config, fx().topic, { CONSUMER_LAG_INTERVAL_MS: '200' }, 'serving');
    try {
      await waitFor('the consumer to report the recreated topic', async () => (await readiness(consumer)).problem.startsWith('stalled'), 20_000);
      const { problem } = await readiness(consumer);
      assert.match(problem, new RegExp(`stalled at partition 0 offset 3 for \\d+ s: .*stored topic id ${oldId} at offset 3, current topic id ${newId}`));
      assert.equal(await stalledMetric(consumer), 1);
      await waitFor('the lag to count the new log', async () => {
        const text = await (await fetch(`${consumer.metricsUrl}/metrics`)).text();
        return text.split('\n').some((l) => l.startsWith('fcfs_consumer_lag{') && l.endsWith(' 5'));
      });
      // still refusing after several lag measurements and fetch cycles
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal((await readiness(consumer)).status, 503);
      assert.deepEqual(
        (await decisionsOf(fx().db.sequelize, campaignId)).map((d) => d.user_id).sort(),
        [1, 2, 3],
        'nothing of the new log decided',
      );
      assert.deepEqual(await storedRow(fx(), 'next_offset, topic_id'), { next_offset: 3, topic_id: oldId }, 'the stored position untouched');
      assert.equal(await deadLetters(fx()), 0);
      const caughtUp = async () => (await storedRow<{ caught_up_at: Date | null }>(fx(), 'caught_up_at'))?.caught_up_at?.getTime() ?? 0;
      const before = await caughtUp();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await caughtUp(), before, 'the new log never recorded as caught up for the old offset');
    } finally {
      await consumer.stop();
    }
  });
});

describe('a topic recreated under the running consumer', () => {
  const fx = useApiFixture('recreated-live');

  it('whose new log already reaches past the stored offset: nothing of it is decided as the old log’s continuation', async () => {
    const campaignId = await createCampaign(fx(), 100);
    // the lag monitor, which also watches the topic id, measures too rarely to see this first
    const consumer = await startTestConsumer(fx().db.config, fx().topic, { CONSUMER_LAG_INTERVAL_MS: '60000' }, 'serving');
    try {
      await participate(fx(), campaignId, [1, 2, 3]);
      await waitForDecisions(fx().db.sequelize, campaignId, 3);
      await waitFor('the offset stored past the three', async () => (await storedOffset(fx())) === 3);
      const oldId = await fetchTopicId(brokers(), fx().topic, 'integration-test');

      await recreateTopic(fx());
      // offsets 0..4 of the new log, produced at once: the consumer's next fetch, at its position 3,
      // finds entries there, from a log whose first three it never saw
      await appendEntries(fx(), campaignId, [4, 5, 6, 7, 8]);
      const newId = await fetchTopicId(brokers(), fx().topic, 'integration-test');

      await waitFor('the consumer to report the recreated topic', async () => (await readiness(consumer)).problem.startsWith('stalled'), 30_000);
      assert.match((await readiness(consumer)).problem, new RegExp(`${oldId}.*${newId}`));
      assert.deepEqual(
        (await decisionsOf(fx().db.sequelize, campaignId)).map((d) => d.user_id).sort(),
        [1, 2, 3],
        'nothing of the new log decided',
      );
      assert.deepEqual(await storedRow(fx(), 'next_offset, topic_id'), { next_offset: 3, topic_id: oldId }, 'the stored position untouched');
    } finally {
      await consumer.stop();
    }
  });
});

describe('a truncated log', () => {
  const fx = useApiFixture('truncated');

  it('entries removed before they were decided stop the consumer, naming the offsets and how many were lost', async () => {
    const campaignId = await createCampaign(fx(), 100);
    await decideThree(fx(), campaignId);
    await participate(fx(), campaignId, [4, 5, 6, 7, 8]); // offsets 3..7, undecided
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await admin.fetchTopicMetadata({ topics: [fx().topic] });
      // what retention does to the oldest segments, here up to offset 6
      await admin.deleteTopicRecords({ topic: fx().topic, partitions: [{ partition: 0, offset: '6' }] });
      const [bounds] = await admin.fetchTopicOffsets(fx().topic);
      assert.equal(bounds?.low, '6');
    } finally {
      await admin.disconnect();
    }

    const consumer = await startTestConsumer(fx().db.config, fx().topic, {}, 'serving');
    try {
      await waitFor('the consumer to report the truncated log', async () => (await readiness(consumer)).problem.startsWith('stalled'), 20_000);
      assert.match(
        (await readiness(consumer)).problem,
        /stalled at partition 0 offset 3 for \d+ s: .*starts at 6, above the stored offset 3: 3 entries \(offsets 3\.\.5\) removed from the log \(retention\) before they were decided/,
      );
      assert.equal(await stalledMetric(consumer), 1);
      await new Promise((r) => setTimeout(r, 1_000));
      assert.deepEqual(
        (await decisionsOf(fx().db.sequelize, campaignId)).map((d) => d.user_id).sort(),
        [1, 2, 3],
        'the entries after the gap wait for the operator, in order',
      );
      assert.equal(await storedOffset(fx()), 3);
    } finally {
      await consumer.stop();
    }
  });
});
