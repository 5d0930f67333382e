import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { QueryTypes } from 'sequelize';
import { startTestConsumer } from './support/consumer.js';
import { startDbProxy } from './support/db-proxy.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { startOwnBroker, type OwnBroker } from './support/own-broker.js';
import { waitFor } from './support/process.js';

interface LetterRow {
  log_offset: number;
  published_at: Date | null;
  publish_error: string | null;
}

/** Every dead letter committed reaches the dead-letter topic, whatever happens between commit and copy. */
describe('dead-letter relay', () => {
  let db: TestDatabase;
  let broker: OwnBroker;
  let kafka: Kafka;
  const topic = 'campaign-participation';

  before(async () => {
    db = await createTestDatabase();
    broker = await startOwnBroker();
    kafka = new Kafka({ clientId: 'dead-letter-relay-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  });
  after(async () => {
    await broker.destroy();
    await db.drop();
  });

  const letters = (fromOffset: number) =>
    db.sequelize.query<LetterRow>('SELECT log_offset, published_at, publish_error FROM dead_letters WHERE log_offset >= ? ORDER BY log_offset', {
      replacements: [fromOffset],
      type: QueryTypes.SELECT,
    });
  const logEnd = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return Number((await admin.fetchTopicOffsets(topic))[0]?.high);
    } finally {
      await admin.disconnect();
    }
  };
  const poison = async (count: number) => {
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `not a participation ${i}` })) });
    } finally {
      await producer.disconnect();
    }
  };
  /** The original offsets of the copies on the dead-letter topic, once at least `count` of them from `fromOffset` are there. */
  const copiesOnTopic = async (fromOffset: number, count: number) => {
    const reader = kafka.consumer({ groupId: `dlq-check-${fromOffset}-${Date.now()}` });
    const seen = new Set<number>();
    await reader.connect();
    try {
      await reader.subscribe({ topic: `${topic}-dlq`, fromBeginning: true });
      await reader.run({
        eachMessage: ({ message }) => {
          const original = Number(message.headers?.['x-original-offset']?.toString());
          if (original >= fromOffset) seen.add(original);
          return Promise.resolve();
        },
      });
      await waitFor(`${count} copies on ${topic}-dlq`, () => Promise.resolve(seen.size >= count), 60_000);
    } finally {
      await reader.disconnect();
    }
    return [...seen].sort((a, b) => a - b);
  };

  it('copies committed while the broker is down reach the dead-letter topic once it is back', async () => {
    const consumer = await startTestConsumer(db.config, topic, { KAFKA_BROKERS: broker.brokers });
    try {
      const from = await logEnd();
      await waitFor('the stored offset', async () => (await db.sequelize.query('SELECT 1 FROM consumer_offsets', { type: QueryTypes.SELECT })).length === 1);
      // Holding the offset row keeps the batch from committing until the broker is gone.
      const held = await db.sequelize.transaction();
      try {
        await db.sequelize.query('SELECT next_offset FROM consumer_offsets FOR UPDATE', { transaction: held });
        await poison(3);
        await waitFor('the batch to wait for the offset row', async () => {
          const waiting = await db.sequelize.query(
            "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND INFO LIKE 'SELECT next_offset%FROM consumer_offsets%FOR UPDATE'",
            { type: QueryTypes.SELECT },
          );
          return waiting.length > 0;
        });
        await broker.stop();
      } finally {
        await held.commit();
      }

      await waitFor('the three dead letters committed', async () => (await letters(from)).length === 3);
      await waitFor('the relay to have tried to copy them', () =>
        Promise.resolve(/dead letters not copied to their topic yet|the broker refuses this dead letter/.test(consumer.output())),
      );
      assert.deepEqual(
        (await letters(from)).filter((l) => l.publish_error !== null).map((l) => l.publish_error),
        [],
        'an outage is not a refusal: no letter is given up on',
      );

      await broker.start();
      await waitFor('every letter copied', async () => (await letters(from)).every((l) => l.published_at !== null), 120_000);
      assert.deepEqual(
        (await letters(from)).map((l) => l.publish_error),
        [null, null, null],
      );
      assert.deepEqual(await copiesOnTopic(from, 3), [from, from + 1, from + 2]);
    } finally {
      await consumer.stop();
    }
  });

  it('letters of a batch whose COMMIT acknowledgement was lost are copied all the same', async () => {
    const proxy = await startDbProxy(db.config.DB_HOST, db.config.DB_PORT);
    await proxy.open();
    const consumer = await startTestConsumer(db.config, topic, {
      KAFKA_BROKERS: broker.brokers,
      DB_PORT: String(proxy.port),
      CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS: '500',
    });
    try {
      const from = await logEnd();
      // The server commits the batch; the consumer only sees its connection cut, retries, and
      // finds the offset already moved.
      const lost = proxy.loseNextCommitAck();
      await poison(1);
      await lost;
      await waitFor('the retried batch to be fenced', () => Promise.resolve(consumer.output().includes('stored offset moved under us')));
      const [stored] = await db.sequelize.query<{ next_offset: number }>('SELECT next_offset FROM consumer_offsets', { type: QueryTypes.SELECT });
      assert.equal(stored?.next_offset, from + 1, 'committed once');

      await waitFor('the letter copied', async () => (await letters(from))[0]?.published_at != null, 20_000);
      assert.deepEqual(
        (await letters(from)).map((l) => [l.log_offset, l.publish_error]),
        [[from, null]],
      );
      assert.deepEqual(await copiesOnTopic(from, 1), [from]);
    } finally {
      await consumer.stop();
      await proxy.close();
    }
  });
});
