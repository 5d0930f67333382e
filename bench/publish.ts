import { encodeParticipation, type ParticipationMessage } from '../services/kafka/participation-message.js';
import { testKafka } from '../test/integration/support/kafka.js';

/** Entries per produce request: the consumer's batch. */
const CHUNK = 5_000;

/**
 * A backlog straight into a new one-partition topic, as the API would have appended it (an
 * idempotent producer, acks from every replica), `count` entries, the n-th one `entryOf(n)`.
 */
export async function publishBacklog(topic: string, count: number, entryOf: (n: number) => ParticipationMessage): Promise<void> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < count; i += CHUNK) {
      const messages = Array.from({ length: Math.min(CHUNK, count - i) }, (_, j) => ({ value: encodeParticipation(entryOf(i + j)) }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
