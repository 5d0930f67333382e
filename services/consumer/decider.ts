import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { OffsetFencedError, type DecisionStore, type LogPosition } from '../db/decision-store.js';
import type { Logger } from '../platform/logger.js';
import type { BatchProcessor, BatchResult, LogRecord } from './batch-processor.js';
import type { ConsumerMetrics } from './metrics.js';

export interface DeciderOptions {
  topic: string;
  group: string;
  maxBatch: number;
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Feeds the log to the batch processor in order. The database's stored offset is the truth: the
 * Kafka group offset is only committed afterwards for lag dashboards. Whatever kafkajs delivers,
 * entries before the expected offset are skipped (already decided) and a gap makes it seek back.
 */
export class Decider {
  private consumer: Consumer | undefined;
  private readonly expected = new Map<number, number>();
  private stopping = false;
  private readyResolve: (() => void) | undefined;
  readonly ready: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly store: DecisionStore,
    private readonly processor: BatchProcessor,
    private readonly options: DeciderOptions,
    private readonly logger: Logger,
    private readonly metrics: ConsumerMetrics,
  ) {
    this.ready = new Promise((resolve) => (this.readyResolve = resolve));
  }

  private position(partition: number): LogPosition {
    return { group: this.options.group, topic: this.options.topic, partition };
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.group,
      // Short enough that a replacement for a killed consumer is assigned within seconds.
      sessionTimeout: 10_000,
      rebalanceTimeout: 15_000,
      heartbeatInterval: 1_000,
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      void this.onAssigned(payload.memberAssignment[this.options.topic] ?? []);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private async onAssigned(partitions: number[]): Promise<void> {
    this.expected.clear();
    for (const partition of partitions) {
      try {
        const next = await this.loadExpected(partition);
        this.consumer?.seek({ topic: this.options.topic, partition, offset: String(next) });
        this.logger.info({ partition, next }, 'resuming from the stored offset');
      } catch (err) {
        // onBatch loads the offset itself if this failed; the log says why it will be slow
        this.logger.warn({ err, partition }, 'could not read the stored offset yet');
      }
    }
    this.logger.info({ partitions }, 'consumer ready');
    this.readyResolve?.();
  }

  private async loadExpected(partition: number): Promise<number> {
    const at = this.position(partition);
    let next = await this.store.readOffset(at);
    if (next === null) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(this.options.topic);
        const low = Number(offsets.find((o) => o.partition === partition)?.low ?? 0);
        next = await this.store.initOffset(at, low);
      } finally {
        await admin.disconnect();
      }
    }
    this.expected.set(partition, next);
    this.metrics.nextOffset.set({ partition: String(partition) }, next);
    return next;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partition = batch.partition;
    const at = this.position(partition);
    let expected = this.expected.get(partition) ?? (await this.loadExpected(partition));
    const records: LogRecord[] = [];
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (offset >= expected) records.push({ offset, key: m.key, value: m.value });
    }
    const first = records[0];
    if (first === undefined) return;
    if (first.offset > expected) {
      this.logger.warn({ partition, expected, got: first.offset }, 'log position ahead of the stored offset; seeking back');
      this.consumer?.seek({ topic: this.options.topic, partition, offset: String(expected) });
      return;
    }

    for (let i = 0; i < records.length; i += this.options.maxBatch) {
      const chunk = records.slice(i, i + this.options.maxBatch);
      for (let attempt = 0; ; attempt++) {
        if (!payload.isRunning() || payload.isStale() || this.stopping) return;
        const timer = this.metrics.batchDuration.startTimer();
        try {
          const result = await this.processor.process(at, expected, chunk);
          timer();
          expected = result.next;
          this.expected.set(partition, expected);
          this.record(partition, chunk.length, result, Number(batch.highWatermark));
          break;
        } catch (err) {
          if (err instanceof OffsetFencedError) {
            this.metrics.failures.inc({ kind: 'fenced' });
            this.logger.error({ partition, expected, stored: err.stored }, 'stored offset moved under us (another consumer?); re-reading it');
            this.expected.delete(partition);
            const next = await this.loadExpected(partition);
            this.consumer?.seek({ topic: this.options.topic, partition, offset: String(next) });
            return;
          }
          this.metrics.failures.inc({ kind: 'transient' });
          const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
          this.logger.warn({ err, partition, offset: expected, attempt, retryInMs: wait }, 'batch failed; retrying without moving on');
          await new Promise((r) => setTimeout(r, wait));
          await payload.heartbeat().catch(() => undefined);
        }
      }
      const lastOffset = chunk.at(-1)?.offset;
      if (lastOffset !== undefined) payload.resolveOffset(String(lastOffset));
      await payload.heartbeat();
    }
    // Informational only, for lag dashboards; the database holds the real position.
    await this.consumer?.commitOffsets([{ topic: this.options.topic, partition, offset: String(expected) }]).catch((err: unknown) => {
      this.logger.debug({ err }, 'informational offset commit failed');
    });
  }

  private record(partition: number, size: number, result: BatchResult, highWatermark: number): void {
    const m = this.metrics;
    m.batchSize.observe(size);
    for (const [verdict, n] of Object.entries(result.verdicts)) if (n > 0) m.decisions.inc({ verdict }, n);
    if (result.skipped > 0) m.skipped.inc(result.skipped);
    if (result.deadLettered.length > 0) {
      m.deadLetters.inc(result.deadLettered.length);
      for (const d of result.deadLettered) this.logger.warn({ partition, offset: d.offset, reason: d.reason }, 'sent to the dead-letter topic');
    }
    m.nextOffset.set({ partition: String(partition) }, result.next);
    m.lag.set({ partition: String(partition) }, Math.max(0, highWatermark - result.next));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }
}
