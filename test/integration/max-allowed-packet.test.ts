import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize } from '../../services/db/sequelize.js';
import { encodeParticipation } from '../../services/kafka/participation-message.js';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { createTestDatabase, serverConfig, type TestDatabase } from './support/database.js';
import { deleteTopics, testKafka, uniqueTopic } from './support/kafka.js';
import { waitFor } from './support/process.js';

/**
 * The local MariaDB runs with max_allowed_packet raised to 64 MiB; a MySQL left at its defaults
 * (or configured lower) refuses longer statements. This lowers the server's limit for the test's
 * duration to 256 KiB: a batch of 2,000 history rows, the request-id lookup of a full batch and a
 * handful of 100 KB poison records are each already longer than that in one statement.
 */
const LIMIT = 256 * 1024;
const VALID = 3_000;
const POISON_SIZES = [100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 400_000];

describe('statements sized by the server max_allowed_packet', { timeout: 5 * 60_000 }, () => {
  let db: TestDatabase;
  let admin: Sequelize;
  let original = 0;
  let consumer: TestConsumer | undefined;
  const topic = uniqueTopic('packet');

  before(async () => {
    db = await createTestDatabase();
    admin = createSequelize({ ...serverConfig(), DB_NAME: 'mysql', DB_POOL_MAX: 1 });
    const [row] = await admin.query<{ bytes: number | string }>('SELECT @@GLOBAL.max_allowed_packet AS bytes', { type: QueryTypes.SELECT });
    original = Number(row?.bytes);
  });
  after(async () => {
    await consumer?.stop();
    // new connections take the global value: put it back before anything else connects
    if (original > 0) await admin.query(`SET GLOBAL max_allowed_packet = ${original}`);
    await admin.close();
    await db.drop();
    await deleteTopics([topic]);
  });

  it('a batch of big poison records and thousands of decisions is recorded whole against a 256 KiB limit', async () => {
    const [campaign] = await db.sequelize.query<{ id: number }>("INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('packet', 100, 100) RETURNING id", {
      type: QueryTypes.SELECT,
    });
    const campaignId = Number(campaign?.id);
    const kafka = testKafka();
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await kafkaAdmin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const acceptedAt = new Date().toISOString();
    // request ids near their 64-character limit, as clients that send UUIDs with a prefix do
    const valid = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        value: encodeParticipation({ v: 1, requestId: `packet-${String(from + i).padStart(6, '0')}-${'r'.repeat(44)}`, campaignId, userId: from + i + 1, acceptedAt }),
      }));
    await producer.send({ topic, acks: -1, messages: valid(0, VALID / 2) });
    // one record per produce request: the broker's own 1 MiB limit is per request
    for (const [i, size] of POISON_SIZES.entries()) await producer.send({ topic, acks: -1, messages: [{ value: Buffer.alloc(size, 0x61 + i) }] });
    await producer.send({ topic, acks: -1, messages: valid(VALID / 2, VALID / 2) });
    await producer.disconnect();

    await admin.query(`SET GLOBAL max_allowed_packet = ${LIMIT}`);
    consumer = await startTestConsumer(db.config, topic, { LOG_LEVEL: 'warn' });

    const count = async (sql: string) => Number((await db.sequelize.query<{ n: number }>(sql, { replacements: [campaignId], type: QueryTypes.SELECT }))[0]?.n);
    await waitFor(
      `${VALID} decisions and ${POISON_SIZES.length} dead letters`,
      async () =>
        (await count('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?')) === VALID &&
        (await count('SELECT COUNT(*) AS n FROM dead_letters WHERE ? > 0')) === POISON_SIZES.length,
      120_000,
    ).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${consumer?.output().slice(-3000) ?? ''}`);
    });

    const [limit] = await admin.query<{ bytes: number | string }>('SELECT @@GLOBAL.max_allowed_packet AS bytes', { type: QueryTypes.SELECT });
    assert.equal(Number(limit?.bytes), LIMIT, 'the server kept the lowered limit throughout');
    assert.equal(await count("SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ? AND status = 'SUCCESS'"), 100);

    const letters = await db.sequelize.query<{ payload_bytes: number; stored: number; head: string }>(
      'SELECT payload_bytes, LENGTH(payload) AS stored, HEX(LEFT(payload, 4)) AS head FROM dead_letters ORDER BY log_offset',
      { type: QueryTypes.SELECT },
    );
    assert.deepEqual(letters.map((l) => l.payload_bytes), POISON_SIZES);
    assert.deepEqual(letters.map((l) => l.head), POISON_SIZES.map((_, i) => (0x61 + i).toString(16).repeat(4).toUpperCase()));
    // the ones that fit a statement are kept whole; the one that cannot keeps what fits
    assert.deepEqual(letters.slice(0, -1).map((l) => l.stored), POISON_SIZES.slice(0, -1));
    const big = letters.at(-1);
    assert.ok(big && big.stored > LIMIT / 4 && big.stored < LIMIT / 2, `stored ${big?.stored ?? '?'} bytes of the 400,000`);

    await waitFor('every dead letter copied to the dead-letter topic', async () => (await count('SELECT COUNT(*) AS n FROM dead_letters WHERE ? > 0 AND published_at IS NULL')) === 0, 60_000);
    const [refused] = await db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters WHERE publish_error IS NOT NULL', { type: QueryTypes.SELECT });
    assert.equal(Number(refused?.n), 0);
  });
});
