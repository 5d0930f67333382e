import type { Admin } from 'kafkajs';

export interface StoredOffsets {
  /** The consumer's next offset per partition, as committed with its decisions. */
  storedOffsets(group: string, topic: string): Promise<Map<number, number>>;
}

/**
 * Entries per partition between the consumer's stored offset and the log end. A partition it has
 * never committed on counts from the log start: retention may have removed what came before. A
 * stored offset beyond the end counts 0: callers read the end first and the offset after it, so a
 * consumer that commits in between is routinely ahead of the end they saw. (An offset of another
 * incarnation of the topic is told apart by the topic id, not here.)
 */
export function backlog(ends: readonly { partition: number; high: string; low: string }[], stored: ReadonlyMap<number, number>): Map<number, number> {
  return new Map(
    ends.map((e) => {
      const next = stored.get(e.partition);
      return [e.partition, Math.max(0, Number(e.high) - (next ?? Number(e.low)))];
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
