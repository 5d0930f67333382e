import type { Admin, Kafka } from 'kafkajs';
import type { LogPosition, StoredPosition } from '../db/decision-store.js';
import { backlog } from '../kafka/log-progress.js';
import type { Logger } from '../platform/logger.js';
import type { ConsumerMetrics } from './metrics.js';

/** Where the consumer notes that it had decided everything the log held at an instant. */
export interface CaughtUpRecord {
  markCaughtUp(at: LogPosition, logEnd: number, measuredAt: Date, topicId: string): Promise<void>;
}

export interface StoredPositions {
  storedPositions(group: string, topic: string): Promise<Map<number, StoredPosition>>;
}

export interface LagMonitorDeps {
  kafka: Kafka;
  store: StoredPositions & CaughtUpRecord;
  clock: () => Date;
  topic: string;
  group: string;
  metrics: ConsumerMetrics;
  logger: Logger;
  intervalMs: number;
  /** The topic's id as the broker tells it now (see kafka/topic-id.ts). */
  topicId: () => Promise<string>;
  /** The topic's id, as measured, before anything is recorded caught up. */
  onTopicId?: (topicId: string) => void;
  /** Each partition's log end, as measured, before the stored offsets are read. */
  onLogEnd?: (partition: number, end: number) => void;
}

/**
 * Lag is the log end minus the stored offset, measured on its own clock: a consumer that cannot
 * commit anything still shows its backlog growing, instead of the last value it managed to report.
 * A partition found at the log end is recorded caught up as of the instant before the log end was
 * asked for: every entry acknowledged before it is decided, however quiet the log has been since
 * (the aggregation waits for that, see core/day-decided.ts).
 */
export class LagMonitor {
  private timer: NodeJS.Timeout | undefined;
  private admin: Admin | undefined;
  private stopped = false;

  constructor(private readonly deps: LagMonitorDeps) {}

  start(): void {
    const tick = async () => {
      await this.measure().catch((err: unknown) => this.deps.logger.debug({ err }, 'lag not measured this time'));
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.deps.intervalMs);
    };
    void tick();
  }

  async measure(): Promise<void> {
    if (!this.admin) {
      const admin = this.deps.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const measuredAt = this.deps.clock();
    const ends = await this.admin.fetchTopicOffsets(this.deps.topic);
    // asked after the log end: a topic recreated in between cannot lend its end to the old id
    const topicId = await this.deps.topicId().catch((err: unknown) => {
      // the backlog still shows; only the caught-up mark needs to know which log it is
      this.deps.logger.warn({ err }, 'topic id not measured this time');
      return undefined;
    });
    if (topicId !== undefined) this.deps.onTopicId?.(topicId);
    for (const e of ends) this.deps.onLogEnd?.(e.partition, Number(e.high));
    // an offset stored for another incarnation of the topic is no position in this one
    const positions = await this.deps.store.storedPositions(this.deps.group, this.deps.topic);
    const mine = [...positions].filter(([, p]) => p.topicId === null || topicId === undefined || p.topicId === topicId);
    const stored = new Map(mine.map(([partition, p]) => [partition, p.next]));
    for (const [partition, lag] of backlog(ends, stored)) {
      this.deps.metrics.lag.set({ partition: String(partition) }, lag);
      const end = Number(ends.find((e) => e.partition === partition)?.high);
      if (lag === 0 && stored.has(partition) && topicId !== undefined) {
        await this.deps.store.markCaughtUp({ group: this.deps.group, topic: this.deps.topic, partition }, end, measuredAt, topicId);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
  }
}
