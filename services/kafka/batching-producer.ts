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

/**
 * What a record costs in a record batch beyond its key and value, at most: length, attributes,
 * timestamp and offset deltas, key and value lengths (varints) and an empty header count.
 */
export const RECORD_OVERHEAD_BYTES = 32;
/** The record batch's own header (v2 format). */
export const BATCH_OVERHEAD_BYTES = 61;

/** How many of the queued messages, from the front, make one produce request within both limits (at least one). */
export function batchLength(queue: readonly { readonly message: OutgoingMessage }[], maxCount: number, maxBytes: number): number {
  let count = 0;
  let bytes = BATCH_OVERHEAD_BYTES;
  const limit = Math.min(queue.length, maxCount);
  while (count < limit) {
    const m = (queue[count] as { readonly message: OutgoingMessage }).message;
    const size = m.value.length + m.key.length + RECORD_OVERHEAD_BYTES;
    // always at least one message, so that an oversized one fails alone instead of blocking the queue
    if (count > 0 && bytes + size > maxBytes) break;
    bytes += size;
    count += 1;
  }
  return count;
}

export interface BatchingProducerOptions {
  topic: string;
  /** Messages per produce request at most. */
  maxBatch: number;
  /** Bytes of one record batch at most, overheads counted; capped further by `brokerMaxBatchBytes`. */
  maxBatchBytes: number;
  /** The broker's own limit for one record batch (the topic's max.message.bytes), once known. */
  brokerMaxBatchBytes?: () => number | undefined;
  /** Produce requests in flight at once, each from an idempotent producer of its own. */
  lanes: number;
  /**
   * Under load, how long a small batch waits for more messages before it is sent, at most: only on
   * a lane whose previous request ended a moment ago, only while what is queued is under 16 KiB,
   * and only until as many are queued as were lately seen waiting; an idle lane sends at once
   * (0: never wait).
   */
  lingerMs?: number;
  /** How long one produce request may take before its callers are told it failed. */
  sendTimeoutMs: number;
  /** After the broker could not be reached, new messages are refused at once for this long instead of piling up. */
  cooldownMs: number;
  onBatch?: (size: number, seconds: number) => void;
  onFailure?: (err: ProduceFailedError, size: number) => void;
}

interface Waiting {
  readonly message: OutgoingMessage;
  readonly resolve: (ack: Acknowledged) => void;
  readonly reject: (err: Error) => void;
}

/** One idempotent producer with at most one request in flight: the broker keeps its batches in order. */
interface Lane {
  producer: Promise<Producer> | undefined;
  busy: boolean;
  inFlight: number;
  /** When its last request ended (performance.now()). */
  lastDone: number;
  /** The most callers seen waiting when one of its requests ended (its batch and the queue), lately (see lingerMs). */
  expected: number;
  /** When `expected` was last set. */
  expectedAt: number;
  /** Ends the lane's linger early; set only while it lingers. */
  wake: (() => void) | undefined;
}

/** A lane whose last request ended this recently is under load (see lingerMs). */
const LOADED_WITHIN_MS = 20;
/**
 * How long the most callers seen waiting stands as what a lingering lane waits for: the
 * population of a pool of connections, which a busy process never sees all at once (some are
 * being answered or read), while a shrinking load lowers it within this time.
 */
const EXPECTED_FOR_MS = 1_000;
/** A batch this large goes without lingering: the broker's cost per request is already spread thin (Kafka's own batch.size). */
const FULL_ENOUGH_BYTES = 16_384;

/**
 * Many concurrent callers, few produce requests: every lane that is free takes the whole queue
 * (within the limits) as its next request, so batches grow with load by themselves, and up to
 * `lanes` requests are in flight at once. Under load a batch lingers a moment for more (`lingerMs`);
 * an idle system adds no wait.
 * Each lane is its own idempotent producer, so the broker drops a retried duplicate and keeps each
 * lane's batches in send order; batches of different lanes are concurrent requests whose order
 * the log decides. A lane whose request failed gets a new producer; a request that timed out
 * fails alone (its late write may still land, which its callers are told), while a broker that
 * cannot be reached fails the queue and refuses new messages for a moment.
 */
export class BatchingProducer {
  private queue: Waiting[] = [];
  private readonly lanes: Lane[];
  private refuseUntil = 0;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: BatchingProducerOptions,
  ) {
    this.lanes = Array.from({ length: options.lanes }, () => ({ producer: undefined, busy: false, inFlight: 0, lastDone: -Infinity, expected: 0, expectedAt: -Infinity, wake: undefined }));
  }

  /** Callers waiting for an acknowledgement: queued plus in the requests in flight. */
  get waiting(): number {
    let n = this.queue.length;
    for (const lane of this.lanes) n += lane.inFlight;
    return n;
  }

  send(message: OutgoingMessage): Promise<Acknowledged> {
    if (this.closed) return Promise.reject(new ProduceFailedError('producer closed', false));
    if (this.refuseUntil !== 0 && Date.now() < this.refuseUntil) return Promise.reject(new ProduceFailedError('broker unavailable (recent failure)', false));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      for (const lane of this.lanes) {
        if (!lane.busy) {
          void this.drain(lane);
          break;
        }
        if (lane.wake !== undefined && this.queue.length >= lane.expected) lane.wake();
      }
    });
  }

  private connect(lane: Lane): Promise<Producer> {
    lane.producer ??= (async () => {
      const producer = createIdempotentProducer(this.kafka);
      await producer.connect();
      return producer;
    })();
    return lane.producer;
  }

  private discardProducer(lane: Lane): void {
    const old = lane.producer;
    lane.producer = undefined;
    void old?.then((p) => p.disconnect()).catch(() => undefined);
  }

  private async drain(lane: Lane): Promise<void> {
    lane.busy = true;
    const { maxBatch, maxBatchBytes, brokerMaxBatchBytes, lingerMs = 0 } = this.options;
    try {
      // A lane that had a request in flight a moment ago is under load, and more messages are
      // coming: a short wait makes fewer, larger produce requests, each of which costs the broker
      // far more than a message does. An idle lane sends at once, so a lone request waits for nothing.
      // The wait ends once as many are queued as were lately seen waiting: clients that send again
      // once answered (a pool of connections) are all back, and waiting longer would only hold
      // them; a stream of new arrivals, or a process too busy to read them all, fills the whole wait.
      while (this.queue.length > 0) {
        if (
          lingerMs > 0 &&
          this.queue.length < lane.expected &&
          performance.now() - lane.lastDone < LOADED_WITHIN_MS &&
          batchLength(this.queue, maxBatch, FULL_ENOUGH_BYTES) === this.queue.length
        ) {
          await this.linger(lane, lingerMs);
        }
        const maxBytes = Math.min(maxBatchBytes, brokerMaxBatchBytes?.() ?? maxBatchBytes);
        await this.sendBatch(lane, this.queue.splice(0, batchLength(this.queue, maxBatch, maxBytes)));
      }
    } finally {
      lane.busy = false;
    }
  }

  private linger(lane: Lane, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        lane.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      lane.wake = done;
    });
  }

  private async sendBatch(lane: Lane, batch: Waiting[]): Promise<void> {
    const started = process.hrtime.bigint();
    lane.inFlight = batch.length;
    let timer: NodeJS.Timeout | undefined;
    // set from the send's callbacks, read after the race
    const progress = { handedOver: false, abandoned: false };
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProduceFailedError(`no acknowledgement within ${this.options.sendTimeoutMs} ms`, progress.handedOver)), this.options.sendTimeoutMs);
      });
      const send = this.connect(lane).then((producer) => {
        // a connection that came after the timeout must not send what its callers were told was not sent
        if (progress.abandoned) throw new ProduceFailedError('abandoned after the timeout', false);
        progress.handedOver = true;
        return producer.send({
          topic: this.options.topic,
          acks: -1,
          messages: batch.map((w) => ({ key: w.message.key, value: w.message.value, partition: w.message.partition })),
        });
      });
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
      progress.abandoned = true;
      const failure = err instanceof ProduceFailedError ? err : new ProduceFailedError(err instanceof Error ? err.message : String(err), progress.handedOver);
      this.options.onFailure?.(failure, batch.length);
      this.discardProducer(lane);
      for (const w of batch) w.reject(failure);
      if (!progress.handedOver) {
        // The broker could not be reached: everyone queued would only wait for the same failure.
        this.refuseUntil = Date.now() + this.options.cooldownMs;
        const notSent = new ProduceFailedError(`not sent: ${failure.message}`, false);
        for (const w of this.queue.splice(0)) w.reject(notSent);
      }
    } finally {
      clearTimeout(timer);
      lane.inFlight = 0;
      const now = performance.now();
      lane.lastDone = now;
      const waiting = batch.length + this.queue.length;
      if (waiting >= lane.expected || now - lane.expectedAt > EXPECTED_FOR_MS) {
        lane.expected = waiting;
        lane.expectedAt = now;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.lanes.some((l) => l.busy)) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(
      this.lanes.map(async (lane) => {
        const producer = lane.producer;
        lane.producer = undefined;
        if (producer) await (await producer.catch(() => undefined))?.disconnect();
      }),
    );
  }
}
