import type { Kafka, Message, Producer } from 'kafkajs';
import { DEAD_LETTER_LIMITS, type DeadLetterRow } from '../core/dead-letter.js';
import { createIdempotentProducer } from './client.js';

export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  reasonCode: 'x-dlq-reason-code',
  topic: 'x-original-topic',
  partition: 'x-original-partition',
  offset: 'x-original-offset',
  payloadBytes: 'x-original-payload-bytes',
  truncated: 'x-payload-truncated',
  failedAt: 'x-failed-at',
} as const;

/** Bytes per produce request at most, well below the broker's default request limits. */
const MAX_REQUEST_BYTES = 512 * 1024;

/** A dead letter as committed: it failed when its batch set it aside, whenever its copy is sent. */
export type StoredDeadLetter = DeadLetterRow & { readonly createdAt: Date };

function toMessage(letter: StoredDeadLetter): Message {
  const value = letter.payload?.subarray(0, DEAD_LETTER_LIMITS.publishedPayloadBytes) ?? null;
  return {
    key: letter.key,
    value,
    headers: {
      [DLQ_HEADERS.reason]: letter.reason,
      [DLQ_HEADERS.reasonCode]: letter.reasonCode,
      [DLQ_HEADERS.topic]: letter.topic,
      [DLQ_HEADERS.partition]: String(letter.partition),
      [DLQ_HEADERS.offset]: String(letter.offset),
      [DLQ_HEADERS.payloadBytes]: String(letter.payloadBytes),
      [DLQ_HEADERS.truncated]: String((value?.length ?? 0) < letter.payloadBytes),
      [DLQ_HEADERS.failedAt]: letter.createdAt.toISOString(),
    },
  };
}

/**
 * Copies dead letters to the dead-letter topic, with why and where from. A payload is cut to a
 * size the broker accepts (the full one stays in the database), so no letter is too large to copy.
 */
export class DeadLetterPublisher {
  private producer: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  private connect(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = createIdempotentProducer(this.kafka);
      try {
        await producer.connect();
        return producer;
      } catch (err) {
        this.producer = undefined;
        throw err;
      }
    })();
    return this.producer;
  }

  async publish(letters: readonly StoredDeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const producer = await this.connect();
    try {
      await this.sendAll(producer, letters);
    } catch (err) {
      // The next try starts a new producer session: sequence numbers of a send that failed part-way
      // (it may have landed) must not be reused for other letters, which the broker would refuse.
      if (this.producer !== undefined) void this.close().catch(() => undefined);
      throw err;
    }
  }

  private async sendAll(producer: Producer, letters: readonly StoredDeadLetter[]): Promise<void> {
    let chunk: Message[] = [];
    let bytes = 0;
    const flush = async () => {
      if (chunk.length > 0) await producer.send({ topic: this.topic, acks: -1, messages: chunk });
      chunk = [];
      bytes = 0;
    };
    for (const letter of letters) {
      const message = toMessage(letter);
      const size = (message.value as Buffer | null)?.length ?? 0;
      if (bytes + size > MAX_REQUEST_BYTES) await flush();
      chunk.push(message);
      bytes += size;
    }
    await flush();
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await (await producer?.catch(() => undefined))?.disconnect();
  }
}
