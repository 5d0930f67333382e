import kafkajs, { type Admin } from 'kafkajs';
import { isRetriableKafkaError } from './client.js';

export class TopicError extends Error {
  override readonly name = 'TopicError';
}

/** Creates the topic if it is missing (idempotent across replicas starting together). */
export async function ensureTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return;
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } catch (err) {
    // another replica won the race
    if (!(err instanceof Error && /already exists/i.test(err.message))) throw err;
  }
}

export async function partitionCount(admin: Admin, topic: string): Promise<number> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const found = metadata.topics.find((t) => t.name === topic);
  if (!found) throw new TopicError(`topic ${topic} does not exist`);
  return found.partitions.length;
}

/** The largest record batch the broker takes for the topic (its max.message.bytes, the broker's default unless set). */
export async function maxMessageBytes(admin: Admin, topic: string): Promise<number> {
  const described = await admin.describeConfigs({
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
    includeSynonyms: false,
  });
  const value = Number(described.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue);
  if (!Number.isSafeInteger(value) || value <= 0) throw new TopicError(`topic ${topic}: the broker reported no max.message.bytes`);
  return value;
}

/**
 * The consumer decides in log order; that order is global only with one partition. More than one
 * is refused unless the partition experiment is explicitly enabled.
 */
export function assertSinglePartition(topic: string, partitions: number, allowMany: boolean): void {
  if (partitions > 1 && !allowMany) {
    throw new TopicError(
      `topic ${topic} has ${partitions} partitions: first-come-first-served order needs exactly one ` +
        '(set CONSUMER_ALLOW_MULTIPLE_PARTITIONS=true only for the partition experiment)',
    );
  }
}

export interface TopicPlan {
  topic: string;
  dlqTopic: string;
  /** Used only when the topic has to be created. */
  partitions: number;
}

/** Makes sure both topics exist; returns the participation topic's actual partition count. */
export async function prepareTopics(admin: Admin, plan: TopicPlan): Promise<number> {
  await ensureTopic(admin, plan.topic, plan.partitions);
  await ensureTopic(admin, plan.dlqTopic, 1);
  return partitionCount(admin, plan.topic);
}

/**
 * Runs `work` again while it fails with an error the broker calls retriable (a topic another
 * process is creating right now is not served yet), for up to `forMs`; any other error at once.
 */
export async function retryWhileRetriable<T>(work: () => Promise<T>, onRetry: (err: unknown, waitMs: number) => void, forMs = 60_000): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const waitMs = Math.min(2_000, 100 * 2 ** attempt);
      if (!isRetriableKafkaError(err) || Date.now() + waitMs > deadline) throw err;
      onRetry(err, waitMs);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}
