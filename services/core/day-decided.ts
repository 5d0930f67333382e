/**
 * Whether a day may be aggregated: only once the decider has taken off the log every entry
 * accepted before the day's end. The log is in the order of arrival at the broker, not of the
 * API's `acceptedAt` stamps, and an API whose clock runs slow, or a produce that took its time,
 * puts an entry stamped before midnight behind entries stamped after it. The margin is how far
 * apart the two orders may be: an entry accepted at t is in the log before any entry accepted
 * after t + margin, and acknowledged to its client by t + margin.
 */

/** How far one partition's decider has come, as it recorded with its offset. */
export interface DeciderPosition {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  /** `acceptedAt` of the last readable entry it took off the log; null before the first. */
  readonly decidedThrough: Date | null;
  /** An instant at which it had decided everything the log held; null until it first got there. */
  readonly caughtUpAt: Date | null;
}

export type DayReadiness = { readonly ready: true } | { readonly ready: false; readonly reason: string };

/**
 * How far the decider has passed, as an acceptance time: every entry accepted before it, less the
 * margin, is decided. Past an entry accepted at t, every entry accepted before t - margin is behind
 * it in the log; caught up at c, every entry acknowledged before c is decided, and an entry
 * accepted before c - margin was acknowledged before c.
 */
export function passedThrough(p: DeciderPosition): Date | null {
  const times = [p.decidedThrough, p.caughtUpAt].filter((t): t is Date => t !== null);
  if (times.length === 0) return null;
  return new Date(Math.max(...times.map((t) => t.getTime())));
}

/**
 * A day ending at `dayEnd` is decided once every partition's decider has passed `dayEnd + marginMs`.
 * No position at all means no decider has ever run against this database (the sync path alone):
 * there is no log to wait for.
 */
export function dayReadiness(dayEnd: Date, marginMs: number, positions: readonly DeciderPosition[]): DayReadiness {
  const needed = dayEnd.getTime() + marginMs;
  const behind: string[] = [];
  for (const p of positions) {
    const passed = passedThrough(p);
    if (passed !== null && passed.getTime() >= needed) continue;
    const where = `${p.topic} partition ${p.partition} (group ${p.group})`;
    behind.push(passed === null ? `${where} has recorded no progress yet` : `${where} has passed entries accepted up to ${passed.toISOString()}`);
  }
  if (behind.length === 0) return { ready: true };
  return {
    ready: false,
    reason: `not decided yet: entries accepted before ${new Date(needed).toISOString()} (the day's end + ${marginMs / 1000} s) may still be in the log; ${behind.join('; ')}`,
  };
}
