import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { checkLog } from '../core/log-check.js';
import { OffsetFencedError, type DecisionStore, type LogPosition, type TopicPosition } from '../db/decision-store.js';
import { isConnectivityError, isRetryableTransactionError } from '../db/errors.js';
import type { Logger } from '../platform/logger.js';
import type { BatchProcessor, BatchResult, LogRecord } from './batch-processor.js';
import type { ConsumerMetrics, FailureCause } from './metrics.js';
import { ProgressWatch } from './progress-watch.js';

export interface LogConsumerOptions {
  topic: string;
  /** The logical consumer: the key of the stored offsets, and the Kafka group lag tools read. */
  group: string;
  maxBatch: number;
  /** Partitions decided at once, each in its own transactions (1 = strictly one after another). */
  partitionsConcurrently: number;
  /** How long the consumer may make no progress, with entries beyond its offset, before it reports itself stalled. */
  stallAfterMs: number;
  /** kafkajs session timeout of this process's membership. */
  sessionTimeoutMs: number;
}

export interface LogConsumerDeps {
  kafka: Kafka;
  store: DecisionStore;
  processor: BatchProcessor;
  logger: Logger;
  metrics: ConsumerMetrics;
  clock: () => number;
  /** The participation topic's id as the broker tells it now (see kafka/topic-id.ts). */
  topicId: () => Promise<string>;
  /** Called after every committed batch (e.g. to copy its dead letters). */
  onCommitted?: (result: BatchResult) => void;
}

export interface ConsumerHealth {
  readonly ready: boolean;
  /** No progress for longer than the stall limit while the log has entries beyond the offset. */
  readonly stalled: boolean;
  /** Why the consumer is not ready, or is not advancing. */
  readonly problem: string | null;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function failureCause(err: unknown): FailureCause {
  if (isConnectivityError(err)) return 'database_unavailable';
  if (isRetryableTransactionError(err)) return 'lock_conflict';
  return 'other';
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const GROUP_OFFSET_EVERY_MS = 1_000;

/** The log found is not one the stored offset lets the consumer go on in; see core/log-check.ts. */
class LogRefusedError extends Error {
  override readonly name = 'LogRefusedError';
}

/**
 * Feeds the log to the batch processor in order. The database's stored offset is the truth:
 * whatever kafkajs delivers, entries before the expected offset are skipped (already decided)
 * and a gap makes it seek back.
 *
 * Kafka membership is this process's own (a group nobody else joins), so a replacement for a
 * killed consumer is assigned the partition at once instead of waiting for the dead member's
 * session to expire. Exactly one decider is the deployment's promise (one replica); a second one
 * would still be harmless: the offset row's lock and check fence it out. The logical group's
 * Kafka offset is set afterwards, for lag tools only.
 */
export class LogConsumer {
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private readonly expected = new Map<number, number>();
  private stopping = false;
  private assigned = false;
  private readonly progress: ProgressWatch;
  private groupOffsetAt = 0;
  private groupOffsetInFlight = false;
  /** The id of the topic incarnation the stored offsets were confirmed to belong to. */
  private topicId: string | undefined;
  /** Partitions it refuses to go on with until an operator has acted (and restarted it). */
  private readonly halted = new Set<number>();

  constructor(
    private readonly deps: LogConsumerDeps,
    private readonly options: LogConsumerOptions,
  ) {
    this.progress = new ProgressWatch(options.stallAfterMs, deps.clock);
  }

  private position(partition: number): LogPosition {
    return { group: this.options.group, topic: this.options.topic, partition };
  }

  private halt(partition: number, reason: string): void {
    this.progress.halted(partition, reason);
    if (!this.halted.has(partition)) this.deps.logger.error({ partition, reason }, 'refusing to decide this partition until an operator acts (runbook: FcfsConsumerStalled)');
    this.halted.add(partition);
    // paused, it fetches nothing: no busy loop over records it will not decide
    this.consumer?.pause([{ topic: this.options.topic, partitions: [partition] }]);
  }

  health(): ConsumerHealth {
    const stalls = this.progress.stalls();
    if (stalls.length > 0) {
      const problems = stalls.map((s) => `partition ${s.partition} offset ${s.offset ?? '?'} for ${Math.round(s.forMs / 1000)} s: ${s.reason}`);
      return { ready: false, stalled: true, problem: `stalled at ${problems.join('; ')}` };
    }
    if (this.stopping) return { ready: false, stalled: false, problem: 'stopping' };
    if (!this.assigned) return { ready: false, stalled: false, problem: 'waiting for the partition assignment' };
    return { ready: true, stalled: false, problem: null };
  }

  async start(): Promise<void> {
    const consumer = this.deps.kafka.consumer({
      groupId: `${this.options.group}.member-${randomUUID()}`,
      sessionTimeout: this.options.sessionTimeoutMs,
      rebalanceTimeout: this.options.sessionTimeoutMs + 5_000,
      heartbeatInterval: Math.min(1_000, Math.floor(this.options.sessionTimeoutMs / 3)),
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
      partitionsConsumedConcurrently: this.options.partitionsConcurrently,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  private async onAssigned(partitions: number[]): Promise<void> {
    this.expected.clear();
    for (const partition of partitions) {
      try {
        const next = await this.loadExpected(partition);
        this.consumer?.seek({ topic: this.options.topic, partition, offset: String(next) });
        this.deps.logger.info({ partition, next }, 'resuming from the stored offset');
      } catch (err) {
        if (err instanceof LogRefusedError) continue;
        // onBatch loads the offset itself if this failed; the log says why it will be slow
        this.deps.logger.warn({ err, partition }, 'could not read the stored offset yet');
      }
    }
    this.assigned = true;
    this.deps.logger.info({ partitions }, 'consumer ready');
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.deps.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  /** The log as it is now: its id and this partition's bounds. */
  private async currentLog(partition: number) {
    const [topicId, offsets] = await Promise.all([this.deps.topicId(), (await this.getAdmin()).fetchTopicOffsets(this.options.topic)]);
    const found = offsets.find((o) => o.partition === partition);
    return { topic: this.options.topic, partition, topicId, low: Number(found?.low ?? 0), high: Number(found?.high ?? 0) };
  }

  /** Reads the stored offset and checks it belongs to the log as it is now; halts the partition if not. */
  private async loadExpected(partition: number): Promise<number> {
    const at = this.position(partition);
    const log = await this.currentLog(partition);
    const stored = (await this.deps.store.readStored(at)) ?? (await this.deps.store.initOffset(at, log.low, log.topicId, new Date(this.deps.clock())));
    this.progress.position(partition, stored.next);
    this.progress.logEnd(partition, log.high);
    this.deps.metrics.nextOffset.set({ partition: String(partition) }, stored.next);
    const check = checkLog(stored, log);
    if (!check.ok) {
      this.halt(partition, check.reason);
      throw new LogRefusedError(check.reason);
    }
    if (stored.topicId === null) await this.deps.store.adoptTopicId(at, log.topicId);
    this.topicId = log.topicId;
    this.expected.set(partition, stored.next);
    return stored.next;
  }

  /**
   * A fetch that does not start at the expected offset: the log may have been recreated or
   * truncated under the running consumer (kafkajs then resets to the log start, as for a fresh
   * group). Returns whether it may still go on from the expected offset; `ifUnsure` when the log
   * cannot be asked.
   */
  private async stillTheLog(partition: number, expected: number, ifUnsure: boolean): Promise<boolean> {
    if (this.topicId === undefined) return true;
    try {
      const check = checkLog({ next: expected, topicId: this.topicId }, await this.currentLog(partition));
      if (check.ok) return true;
      this.halt(partition, check.reason);
      return false;
    } catch (err) {
      this.deps.logger.warn({ err, partition }, 'could not check the log before going on');
      return ifUnsure;
    }
  }

  /** Whether the topic is still the one the stored offset is in; unsure (the broker not asked), nothing is decided and the same fetch comes back. */
  private async sameTopic(partition: number): Promise<boolean> {
    try {
      this.observeTopicId(await this.deps.topicId());
    } catch (err) {
      this.deps.logger.warn({ err, partition }, 'could not check the topic id before deciding');
      this.progress.failed(partition, `topic id not read: ${messageOf(err)}`);
      // not at once: the fetch comes back as soon as this returns
      await new Promise((r) => setTimeout(r, BACKOFF_MIN_MS));
      return false;
    }
    return !this.halted.has(partition);
  }

  /** The topic's id measured on its own clock: a topic recreated while the consumer runs shows here. */
  observeTopicId(topicId: string): void {
    if (this.topicId === undefined || topicId === this.topicId) return;
    const reason = `topic ${this.options.topic} was deleted and created again while the consumer ran: topic id ${this.topicId} at its start, ${topicId} now`;
    for (const partition of this.expected.keys()) this.halt(partition, reason);
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partition = batch.partition;
    if (this.halted.has(partition)) {
      this.consumer?.pause([{ topic: this.options.topic, partitions: [partition] }]);
      return;
    }
    this.progress.logEnd(partition, Number(batch.highWatermark));
    let expected = this.expected.get(partition);
    if (expected === undefined) {
      try {
        expected = await this.loadExpected(partition);
      } catch (err) {
        if (err instanceof LogRefusedError) return;
        this.progress.failed(partition, messageOf(err));
        throw err;
      }
    }
    const topicId = this.topicId;
    if (topicId === undefined) throw new Error('stored offset loaded without a topic id');
    const at: TopicPosition = { ...this.position(partition), topicId };
    const records: LogRecord[] = [];
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (offset >= expected) records.push({ offset, key: m.key, value: m.value });
    }
    const first = records[0];
    // A fetch from below the stored offset: the position trails it (its read failed on joining),
    // or the topic was recreated under us and kafkajs reset to the new log's start, which may
    // already reach past the old offset. Only the log's identity tells which, before anything of
    // it is decided; unsure, nothing is resolved and the same fetch comes back.
    const fetchedFrom = batch.messages[0] === undefined ? expected : Number(batch.messages[0].offset);
    if (fetchedFrom < expected && first?.offset === expected && !(await this.stillTheLog(partition, expected, false))) return;
    if (first === undefined || first.offset > expected) {
      // Everything fetched lies below the stored offset: nothing is resolved, so without a seek
      // kafkajs fetches the same records again, forever.
      if (!(await this.stillTheLog(partition, expected, true))) return;
      if (first) this.deps.logger.warn({ partition, expected, got: first.offset }, 'log position ahead of the stored offset; seeking back');
      this.consumer?.seek({ topic: this.options.topic, partition, offset: String(expected) });
      return;
    }

    // Asked after the fetch: a topic deleted and created again before it shows here, before anything
    // fetched from it is decided, however far the new log already reaches (one Metadata request per
    // fetch, none per entry).
    if (!(await this.sameTopic(partition))) return;

    for (let i = 0; i < records.length; i += this.options.maxBatch) {
      const chunk = records.slice(i, i + this.options.maxBatch);
      for (let attempt = 0; ; attempt++) {
        if (!payload.isRunning() || payload.isStale() || this.stopping || this.halted.has(partition)) return;
        const timer = this.deps.metrics.batchDuration.startTimer();
        try {
          const result = await this.deps.processor.process(at, expected, chunk);
          timer();
          expected = result.next;
          this.expected.set(partition, expected);
          this.progress.position(partition, expected);
          this.record(partition, chunk.length, result);
          this.deps.onCommitted?.(result);
          break;
        } catch (err) {
          if (err instanceof OffsetFencedError) {
            this.deps.metrics.failures.inc({ cause: 'fenced' });
            this.deps.logger.error({ partition, expected, stored: err.stored }, 'stored offset moved under us (another consumer?); re-reading it');
            this.expected.delete(partition);
            const next = await this.loadExpected(partition).catch((e: unknown) => {
              if (e instanceof LogRefusedError) return null;
              throw e;
            });
            if (next === null) return;
            this.consumer?.seek({ topic: this.options.topic, partition, offset: String(next) });
            return;
          }
          this.progress.failed(partition, messageOf(err));
          this.deps.metrics.failures.inc({ cause: failureCause(err) });
          const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
          this.deps.logger.warn({ err, partition, offset: expected, attempt, retryInMs: wait }, 'batch failed; retrying without moving on');
          await new Promise((r) => setTimeout(r, wait));
          await payload.heartbeat().catch(() => undefined);
        }
      }
      const lastOffset = chunk.at(-1)?.offset;
      if (lastOffset !== undefined) payload.resolveOffset(String(lastOffset));
      await payload.heartbeat();
    }
    this.publishGroupOffset(partition, expected);
  }

  /** The log end measured on its own clock: a fetch loop that stopped shows no batch to learn it from. */
  observeLogEnd(partition: number, end: number): void {
    this.progress.logEnd(partition, end);
  }

  /** Informational only, for lag tools; the database holds the real position. */
  private publishGroupOffset(partition: number, offset: number): void {
    const now = this.deps.clock();
    if (this.groupOffsetInFlight || now - this.groupOffsetAt < GROUP_OFFSET_EVERY_MS) return;
    this.groupOffsetAt = now;
    this.groupOffsetInFlight = true;
    void this.getAdmin()
      .then((admin) => admin.setOffsets({ groupId: this.options.group, topic: this.options.topic, partitions: [{ partition, offset: String(offset) }] }))
      .catch((err: unknown) => this.deps.logger.debug({ err }, 'informational group offset not set'))
      .finally(() => (this.groupOffsetInFlight = false));
  }

  private record(partition: number, size: number, result: BatchResult): void {
    const m = this.deps.metrics;
    m.batchSize.observe(size);
    for (const [verdict, n] of Object.entries(result.verdicts)) if (n > 0) m.decisions.inc({ verdict }, n);
    const committed = result.committedAt.getTime();
    for (const at of result.acceptedAt) m.decisionDelay.observe(Math.max(0, committed - at.getTime()) / 1000);
    if (result.skipped > 0) m.skipped.inc(result.skipped);
    for (const d of result.deadLettered) {
      m.deadLetters.inc({ reason: d.reasonCode });
      this.deps.logger.warn({ partition, offset: d.offset, reason: d.reason }, 'dead letter');
    }
    m.nextOffset.set({ partition: String(partition) }, result.next);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    await this.admin?.disconnect().catch(() => undefined);
  }
}
