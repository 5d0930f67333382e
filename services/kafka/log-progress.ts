import type { Admin } from 'kafkajs';

export interface StoredOffsets {
  /** The consumer's next offset per partition, as committed with its decisions. */
  storedOffsets(group: string, topic: string): Promise<Map<number, number>>;
}

/**
 * Entries per partition between the consumer's stored offset and the log end. A partition it has
 * never committed on counts from the log start: retention may have removed what came before. So
 * does one whose stored offset lies beyond the log end: a log's end never moves back, so that
 * offset belongs to another log (the topic was recreated) and nothing in this one is decided.
 */
export function backlog(ends: readonly { partition: number; high: string; low: string }[], stored: ReadonlyMap<number, number>): Map<number, number> {
  return new Map(
    ends.map((e) => {
      const high = Number(e.high);
      const next = stored.get(e.partition);
      return [e.partition, high - (next === undefined || next > high ? Number(e.low) : next)];
    }),
  );
}

export interface LogProgressDeps {
  admin: () => Promise<Admin>;
  offsets: StoredOffsets;
  topic: string;
  /** The consumer group whose stored offsets count. */
  group: string;
}

/**
 * Whether the log may still hold an accepted but undecided request. Asked only after a lookup
 * missed, in this order: log end first, then the consumer's position. If the consumer has
 * reached the end the log had when we asked, any request acknowledged before the question has
 * been decided and committed, so a miss is a real 404, not a PENDING.
 */
export class LogProgress {
  constructor(private readonly deps: LogProgressDeps) {}

  async undecidedMayExist(): Promise<boolean> {
    const { admin, offsets, topic, group } = this.deps;
    const ends = await (await admin()).fetchTopicOffsets(topic);
    const stored = await offsets.storedOffsets(group, topic);
    return [...backlog(ends, stored).values()].some((entries) => entries > 0);
  }
}
