/** A partition the consumer has not advanced on for the stall limit while entries wait beyond its offset. */
export interface Stall {
  readonly partition: number;
  /** The offset it is stuck at; null while the stored offset could not be read. */
  readonly offset: number | null;
  readonly forMs: number;
  readonly reason: string;
}

interface PartitionState {
  /** The log end last seen (the offset the next entry gets); null until one is seen. */
  end: number | null;
  /** The consumer's next offset; null until the stored offset has been read. */
  next: number | null;
  /** Since when entries have waited beyond `next` without it moving; null while none wait. */
  behindSince: number | null;
  /** The last failed attempt since the last progress. */
  error: string | null;
  /** Why the consumer refuses to go on with this partition, and since when; null while it does not. */
  halt: { reason: string; since: number } | null;
}

/**
 * Decides "stalled" from progress, not from errors: a batch that hangs in a lock wait, an offset
 * that cannot be read, a fetch loop that re-reads the same records or stopped altogether never
 * fail a batch, yet decide nothing. A consumer at the log end is idle, not stalled, however long
 * nothing arrives.
 */
export class ProgressWatch {
  private readonly partitions = new Map<number, PartitionState>();

  constructor(
    private readonly stallAfterMs: number,
    private readonly clock: () => number,
  ) {}

  private state(partition: number): PartitionState {
    let s = this.partitions.get(partition);
    if (!s) this.partitions.set(partition, (s = { end: null, next: null, behindSince: null, error: null, halt: null }));
    return s;
  }

  private settle(s: PartitionState, progressed: boolean): void {
    // An unread offset cannot show that nothing waits: it counts as behind once the log has entries.
    const behind = s.end !== null && s.end > (s.next ?? 0);
    if (!behind) s.behindSince = null;
    else if (progressed || s.behindSince === null) s.behindSince = this.clock();
  }

  /** The log is known to end at `end` (from a fetch, or measured on its own). */
  logEnd(partition: number, end: number): void {
    const s = this.state(partition);
    s.end = end;
    this.settle(s, false);
  }

  /** The consumer's next offset, read or committed; a larger one than before is progress. */
  position(partition: number, next: number): void {
    const s = this.state(partition);
    const progressed = s.next === null || next > s.next;
    s.next = next;
    if (progressed) s.error = null;
    this.settle(s, progressed);
  }

  /** An attempt to advance failed; the reason is reported if the partition stalls. */
  failed(partition: number, error: string): void {
    this.state(partition).error = error;
  }

  /**
   * The consumer will not advance on this partition until an operator acts: a stall at once, log
   * end or not (a recreated topic may end below the stored offset), never cleared by the process.
   */
  halted(partition: number, reason: string): void {
    const s = this.state(partition);
    s.halt ??= { reason, since: this.clock() };
  }

  stalls(): Stall[] {
    const now = this.clock();
    const stalls: Stall[] = [];
    for (const [partition, s] of this.partitions) {
      if (s.halt) {
        stalls.push({ partition, offset: s.next, forMs: now - s.halt.since, reason: s.halt.reason });
        continue;
      }
      if (s.behindSince === null || now - s.behindSince < this.stallAfterMs) continue;
      const reason = s.error ?? (s.next === null ? 'the stored offset has not been read' : `no progress while the log ends at ${s.end}`);
      stalls.push({ partition, offset: s.next, forMs: now - s.behindSince, reason });
    }
    return stalls;
  }
}
