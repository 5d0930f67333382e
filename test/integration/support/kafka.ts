import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { fixKafkajsRequestQueue } from '../../../services/kafka/request-queue-fix.js';

export function brokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
}

/** With the services' request-queue fix: a test or bench process holding connections open should not wake every millisecond beside what it measures. */
export function testKafka(): Kafka {
  fixKafkajsRequestQueue();
  return new Kafka({ clientId: 'integration-test', brokers: brokers(), logLevel: logLevel.NOTHING });
}

/** A topic name of the test's own; pass it as KAFKA_TOPIC so tests never share a log. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Removes the test's topics (and their dead-letter topics) from the shared broker. */
export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const doomed = topics.flatMap((t) => [t, `${t}-dlq`]).filter((t) => existing.has(t));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
