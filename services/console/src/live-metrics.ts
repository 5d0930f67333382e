/** What the live view derives from successive reads of the O(1) status endpoint. Pure: no DOM, no I/O. */

export interface StatusSample {
  /** When the answer arrived, ms since the epoch. */
  readonly at: number;
  readonly totalStock: number;
  readonly currentStock: number;
  readonly successCount: number;
  readonly soldOutCount: number;
  readonly duplicateCount: number;
  readonly totalParticipation: number;
  readonly pending: number;
}

export interface Rates {
  /** Requests decided per second (wins, sold-out and duplicate answers from the log). */
  readonly decidedPerSec: number;
  /** Requests taken into the log per second: decided plus still pending. */
  readonly acceptedPerSec: number;
}

export interface SellOut {
  /**
   * Last sample before any winner; null if winners were already there when the view opened, so
   * stock was partly gone before it: a duration measured from then is a lower bound.
   */
  readonly lastBeforeWinAt: number | null;
  /** First sample that showed a winner (or the first sample, if winners were already there). */
  readonly firstWinSeenAt: number;
  /** First sample with no stock left, null while stock remains. */
  readonly soldOutAt: number | null;
}

const accepted = (s: StatusSample) => s.totalParticipation + s.pending;

/**
 * Rates over the samples of the last `windowMs`, so that one late poll does not make the figure
 * jump. `pending` comes from counters flushed periodically and may read low after an API restart,
 * so a negative accepted delta is reported as 0 rather than as traffic going backwards.
 */
export function ratesOver(samples: readonly StatusSample[], windowMs: number): Rates {
  const last = samples.at(-1);
  if (last === undefined) return { decidedPerSec: 0, acceptedPerSec: 0 };
  let first = last;
  for (let i = samples.length - 2; i >= 0; i--) {
    const s = samples[i];
    if (s === undefined || last.at - s.at > windowMs) break;
    first = s;
  }
  // Keep at least the previous sample, however old: a slow poll still yields a rate.
  if (first === last && samples.length >= 2) first = samples[samples.length - 2] ?? last;
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return { decidedPerSec: 0, acceptedPerSec: 0 };
  return {
    decidedPerSec: Math.max(0, last.totalParticipation - first.totalParticipation) / seconds,
    acceptedPerSec: Math.max(0, accepted(last) - accepted(first)) / seconds,
  };
}

/**
 * When this view saw the first winner and the stock reach zero. Null before any winner. The
 * selling began between `lastBeforeWinAt` and `firstWinSeenAt`: polling brackets it, no more.
 */
export function sellOut(samples: readonly StatusSample[]): SellOut | null {
  const firstWinIndex = samples.findIndex((s) => s.successCount > 0);
  const firstWin = samples[firstWinIndex];
  if (firstWin === undefined) return null;
  const soldOut = samples.find((s) => s.totalStock > 0 && s.currentStock === 0);
  return {
    lastBeforeWinAt: samples[firstWinIndex - 1]?.at ?? null,
    firstWinSeenAt: firstWin.at,
    soldOutAt: soldOut?.at ?? null,
  };
}

/**
 * Seconds until no stock is left at the rate stock fell over the last `windowMs`; null when it is
 * not falling (nothing to project) or already gone.
 */
export function projectedSellOutSec(samples: readonly StatusSample[], windowMs: number): number | null {
  const last = samples.at(-1);
  if (last === undefined || last.currentStock === 0) return null;
  const first = samples.find((s) => last.at - s.at <= windowMs) ?? last;
  const seconds = (last.at - first.at) / 1000;
  const fallen = first.currentStock - last.currentStock;
  if (seconds <= 0 || fallen <= 0) return null;
  return last.currentStock / (fallen / seconds);
}

/** A bounded history: the chart shows the recent past, memory stays flat however long the tab is open. */
export function appendBounded<T>(items: readonly T[], item: T, max: number): T[] {
  const next = items.length >= max ? items.slice(items.length - max + 1) : items.slice();
  next.push(item);
  return next;
}

/** How long selling out took, as far as polling can tell: [at least, at most]; at most is null when unknown. */
export function sellOutBounds(s: SellOut): { atLeastMs: number; atMostMs: number | null } | null {
  if (s.soldOutAt === null) return null;
  return {
    atLeastMs: s.soldOutAt - s.firstWinSeenAt,
    atMostMs: s.lastBeforeWinAt === null ? null : s.soldOutAt - s.lastBeforeWinAt,
  };
}
