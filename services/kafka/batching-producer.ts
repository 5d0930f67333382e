import type { Kafka, Producer } from 'kafkajs';
import { createIdempotentProducer } from './client.js';

export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer;
  readonly partition: number;
}

/** Where the broker put a message, once it acknowledged it. */
export interface Acknowledged {
  readonly partition: number;
  readonly offset: number;
}

/** The broker did not acknowledge. */
export class ProduceFailedError extends Error {
  override readonly name = 'ProduceFailedError';
  constructor(
    message: string,
    /** False only when the message was never handed to the broker; otherwise it may still land in the log. */
    readonly maybeInLog: boolean,
  ) {
    super(message);
  }
}

export interface BatchingProducerOptions {
  topic: string;
  /** Messages per produce request at most. */
  maxBatch: number;
  /** Payload bytes per produce request at most; the broker refuses record batches over message.max.bytes (1 MiB by default). */
  maxBatchBytes: number;
  /** How long one produce request may take before its callers are told it failed. */
  sendTimeoutMs: number;
  /** After a failure, new messages are refused at once for this long instead of piling up. */
  cooldownMs: number;
  onBatch?: (size: number, seconds: number) => void;
  onFailure?: (err: Error, size: number) => void;
}

interface Waiting {
  readonly message: OutgoingMessage;
  readonly resolve: (ack: Acknowledged) => void;
  readonly reject: (err: Error) => void;
}

/**
 * Many concurrent callers, few produce requests: while one request is in flight every new message
 * queues, and the whole queue leaves as the next request. Batches grow with load by themselves,
 * with no linger timer adding latency when the system is idle. One request in flight keeps the
 * idempotent producer's ordering guarantee. After a failure the producer is replaced, so a
 * restarted broker is picked up without restarting the process.
 */
export class BatchingProducer {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private sending = false;
  private producer: Promise<Producer> | undefined;
  private refuseUntil = 0;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchingProducerOptions,
  ) {}

  /** Callers waiting for an acknowledgement: queued plus in the request in flight. */
  get waiting(): number {
    return this.queue.length + this.inFlight;
  }

  send(message: OutgoingMessage): Promise<Acknowledged> {
    if (this.closed) return Promise.reject(new ProduceFailedError('producer closed', false));
    if (Date.now() < this.refuseUntil) return Promise.reject(new ProduceFailedError('broker unavailable (recent failure)', false));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private connect(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = createIdempotentProducer(this.kafka);
      await producer.connect();
      return producer;
    })();
    return this.producer;
  }

  private discardProducer(): void {
    const old = this.producer;
    this.producer = undefined;
    void old?.then((p) => p.disconnect()).catch(() => undefined);
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) await this.sendBatch(this.takeBatch());
    } finally {
      this.sending = false;
    }
  }

  private takeBatch(): Waiting[] {
    let count = 0;
    let bytes = 0;
    // always at least one message, so that an oversized one fails alone instead of blocking the queue
    while (count < this.queue.length && count < this.options.maxBatch) {
      const w = this.queue[count];
      if (w === undefined) break;
      const size = w.message.value.length + w.message.key.length;
      if (count > 0 && bytes + size > this.options.maxBatchBytes) break;
      bytes += size;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async sendBatch(batch: Waiting[]): Promise<void> {
    const started = process.hrtime.bigint();
    this.inFlight = batch.length;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProduceFailedError(`no acknowledgement within ${this.options.sendTimeoutMs} ms`, true)), this.options.sendTimeoutMs);
      });
      const send = this.connect().then((producer) =>
        producer.send({
          topic: this.options.topic,
          acks: -1,
          messages: batch.map((w) => ({ key: w.message.key, value: w.message.value, partition: w.message.partition })),
        }),
      );
      const metadata = await Promise.race([send, timeout]);
      // kafkajs reports one base offset per partition; messages keep their order within it.
      const next = new Map(metadata.map((m) => [m.partition, Number(m.baseOffset)]));
      for (const w of batch) {
        const offset = next.get(w.message.partition);
        if (offset === undefined) {
          w.reject(new ProduceFailedError(`no acknowledgement for partition ${w.message.partition}`, true));
          continue;
        }
        next.set(w.message.partition, offset + 1);
        w.resolve({ partition: w.message.partition, offset });
      }
      this.options.onBatch?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
    } catch (err) {
      const failure = err instanceof ProduceFailedError ? err : new ProduceFailedError(err instanceof Error ? err.message : String(err), true);
      this.options.onFailure?.(failure, batch.length);
      this.discardProducer();
      this.refuseUntil = Date.now() + this.options.cooldownMs;
      for (const w of batch) w.reject(failure);
      // Everyone queued behind a failed request would only wait for the same failure; theirs were never sent.
      const notSent = new ProduceFailedError(`not sent: ${failure.message}`, false);
      for (const w of this.queue.splice(0)) w.reject(notSent);
    } finally {
      clearTimeout(timer);
      this.inFlight = 0;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.sending) await new Promise((r) => setTimeout(r, 10));
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await (await producer.catch(() => undefined))?.disconnect();
  }
}
