import type { Admin } from 'kafkajs';

export interface StoredOffsets {
  /** The consumer's next offset per partition, as committed with its decisions. */
  storedOffsets(group: string, topic: string): Promise<Map<number, number>>;
}

/**
 * Whether the log may still hold an accepted but undecided request. Asked only after a lookup
 * missed, in this order: log end first, then the consumer's position. If the consumer has
 * reached the end the log had when we asked, any request acknowledged before the question has
 * been decided and committed, so a miss is a real 404, not a PENDING.
 */
export class LogProgress {
  constructor(
    private readonly admin: () => Promise<Admin>,
    private readonly offsets: StoredOffsets,
    private readonly topic: string,
    private readonly group: string,
  ) {}

  async undecidedMayExist(): Promise<boolean> {
    const ends = await (await this.admin()).fetchTopicOffsets(this.topic);
    const stored = await this.offsets.storedOffsets(this.group, this.topic);
    return ends.some((e) => (stored.get(e.partition) ?? Number(e.low)) < Number(e.high));
  }
}
