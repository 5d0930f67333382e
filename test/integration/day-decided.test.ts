import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { AggregationJob } from '../../services/daily-stats/aggregation-job.js';
import { AGGREGATION_JOB, AggregationRunStore } from '../../services/db/aggregation-run-store.js';
import { sqlDateTime } from '../../services/db/datetime.js';
import { StatsStore } from '../../services/db/stats-store.js';
import { encodeParticipation } from '../../services/kafka/participation-message.js';
import { consumerGroupOf } from '../../services/platform/config.js';
import { addDays, dateIn, dayWindow } from '../../services/platform/day-window.js';
import { createLogger } from '../../services/platform/logger.js';
import { dbEnv } from './support/api.js';
import { startTestConsumer, waitForCaughtUp, type TestConsumer } from './support/consumer.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { waitForDecisions } from './support/decisions.js';
import { deleteTopics, testKafka, uniqueTopic } from './support/kafka.js';
import { spawnEntrypoint } from './support/process.js';

const MARGIN_MS = 60_000;
const DAY = addDays(dateIn(new Date(), 'UTC'), -2);
const END = dayWindow(DAY, 'UTC').end;
const beforeEnd = (ms: number) => new Date(END.getTime() - ms);

/** A day is aggregated only once every entry accepted before its end is decided. */
describe('a day is aggregated once it is decided', { timeout: 3 * 60_000 }, () => {
  let db: TestDatabase;
  let consumer: TestConsumer | undefined;
  let campaignId = 0;
  const topic = uniqueTopic('decided');

  before(async () => {
    db = await createTestDatabase();
    const [row] = await db.sequelize.query<{ id: number }>("INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('decided', 10, 10) RETURNING id", {
      type: QueryTypes.SELECT,
    });
    campaignId = Number(row?.id);
  });
  after(async () => {
    await consumer?.stop();
    await db.drop();
    await deleteTopics([topic]);
  });

  it('a backlog from before midnight makes the run PARTIAL with the reason; once the consumer has decided it, the next scheduled run completes the day', async () => {
    const kafka = testKafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    // The decider's history as it would be: at the log end ten minutes before midnight, then
    // stopped (a crash, a long stall) while three more entries of the day were accepted.
    await db.sequelize.query(
      'INSERT INTO consumer_offsets (consumer_group, topic, log_partition, next_offset, updated_at, decided_through, caught_up_at) VALUES (?, ?, 0, 0, ?, ?, ?)',
      { replacements: [consumerGroupOf({ KAFKA_TOPIC: topic }), topic, ...[0, 0, 0].map(() => sqlDateTime(beforeEnd(600_000)))] },
    );
    await db.sequelize.query(
      "INSERT INTO participations (request_id, campaign_id, user_id, status, source, accepted_at, decided_at) VALUES ('early', ?, 1, 'SUCCESS', 'SYNC', ?, ?)",
      { replacements: [campaignId, sqlDateTime(beforeEnd(12 * 3_600_000)), sqlDateTime(beforeEnd(12 * 3_600_000))] },
    );
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [300_000, 60_000, 1].map((ms, i) => ({
        value: encodeParticipation({ v: 1, requestId: `late-${i}`, campaignId, userId: 10 + i, acceptedAt: beforeEnd(ms).toISOString() }),
      })),
    });
    await producer.disconnect();

    const executions = new AggregationRunStore(db.sequelize);
    const job = new AggregationJob(
      { stats: new StatsStore(db.sequelize), executions, logger: createLogger('test', 'silent') },
      { timeZone: 'UTC', retentionDays: 90, staleAfterMs: 600_000, decidedMarginMs: MARGIN_MS },
    );
    const stored = async () =>
      (await db.sequelize.query<{ total: number }>('SELECT total_participations AS total FROM campaign_stats WHERE campaign_id = ? AND stat_date = ?', {
        replacements: [campaignId, DAY],
        type: QueryTypes.SELECT,
      }))[0]?.total;

    const early = await (await job.start(DAY)).done;
    assert.equal(early.status, 'PARTIAL');
    const recorded = (await executions.find(early.executionId))?.execution;
    assert.ok(recorded);
    assert.equal(recorded.status, 'PARTIAL');
    assert.match(recorded.error ?? '', new RegExp(`not decided yet: entries accepted before ${new Date(END.getTime() + MARGIN_MS).toISOString()}`));
    assert.match(recorded.error ?? '', new RegExp(`${topic} partition 0 .* up to ${beforeEnd(600_000).toISOString()}`));
    assert.equal(await stored(), undefined, 'nothing is written for a day not decided');

    const started = new Date();
    consumer = await startTestConsumer(db.config, topic, { CONSUMER_LAG_INTERVAL_MS: '200', LOG_LEVEL: 'warn' });
    await waitForDecisions(db.sequelize, campaignId, 4);
    await waitForCaughtUp(db.sequelize, topic, started);

    // the next scheduled run (no --date: yesterday) completes the earlier day without being asked
    const aggregator = spawnEntrypoint('services/aggregator/main.ts', { ...dbEnv(db.config), STATS_TIME_ZONE: 'UTC', AGGREGATION_DECIDED_MARGIN_MS: String(MARGIN_MS), LOG_LEVEL: 'warn' });
    assert.equal(await aggregator.exited(), 0, aggregator.output());
    const latest = await executions.latestStatuses(AGGREGATION_JOB, DAY, addDays(DAY, 1));
    assert.deepEqual(Object.fromEntries(latest), { [DAY]: 'COMPLETED', [addDays(DAY, 1)]: 'COMPLETED' });
    const [later] = (await executions.history(10)).filter((e) => e.date === DAY && e.id !== early.executionId);
    assert.equal(later?.error, null);
    assert.equal(Number(await stored()), 4, 'the day counts the entries decided late');
  });
});
