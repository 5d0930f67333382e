import type { Kafka, Producer } from 'kafkajs';
import { createIdempotentProducer } from './client.js';
import type { DeadLetterRow } from '../db/decision-store.js';

export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  topic: 'x-original-topic',
  partition: 'x-original-partition',
  offset: 'x-original-offset',
  failedAt: 'x-failed-at',
} as const;

/** Copies messages that can never succeed to the dead-letter topic, with why and where from. */
export class DeadLetterPublisher {
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async publish(letters: readonly DeadLetterRow[], at: Date): Promise<void> {
    if (letters.length === 0) return;
    if (!this.producer) {
      const producer = createIdempotentProducer(this.kafka);
      await producer.connect();
      this.producer = producer;
    }
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: letters.map((l) => ({
        key: l.key,
        value: l.payload,
        headers: {
          [DLQ_HEADERS.reason]: l.reason,
          [DLQ_HEADERS.topic]: l.topic,
          [DLQ_HEADERS.partition]: String(l.partition),
          [DLQ_HEADERS.offset]: String(l.offset),
          [DLQ_HEADERS.failedAt]: at.toISOString(),
        },
      })),
    });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
    this.producer = undefined;
  }
}
