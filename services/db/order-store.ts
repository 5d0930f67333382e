import type { HeavyQueries } from './heavy-query.js';

/**
 * Decision order is the history's insertion order (the consumer inserts each batch in log order);
 * arrival order is accepted_at. A decision is a violation when something that arrived later was
 * decided before it; its delay is how much later that arrival was.
 */
export interface OrderViolation {
  requestId: string;
  userId: number;
  status: string;
  partition: number | null;
  offset: number | null;
  acceptedAt: Date;
  /** The latest arrival among the requests decided before this one. */
  overtakenBy: Date;
  delayMs: number;
}

export interface OrderAnalysis {
  totalDecisions: number;
  violations: number;
  maxDelayMs: number;
  avgDelayMs: number;
  partitions: { partition: number | null; decisions: number }[];
}

export interface OrderReport {
  analysis: OrderAnalysis;
  /** The largest delays first, at most the limit asked for. */
  worst: OrderViolation[];
}

const byDelay = (a: OrderViolation, b: OrderViolation) => b.delayMs - a.delayMs;

/**
 * One pass over a campaign's history in decision order with a running maximum of arrival times:
 * O(n log n) for the database's sort plus O(n log k) here. (A window MAX() in MariaDB re-reads its
 * frame for every row, which is quadratic.)
 */
export class OrderStore {
  constructor(private readonly heavy: HeavyQueries) {}

  async report(campaignId: number, worstLimit: number, signal?: AbortSignal): Promise<OrderReport> {
    let total = 0;
    let violations = 0;
    let delaySum = 0;
    let maxDelay = 0;
    let latest = Number.NEGATIVE_INFINITY;
    const partitions = new Map<number | null, number>();
    let worst: OrderViolation[] = [];
    await this.heavy.each(
      'SELECT request_id, user_id, status, log_partition, log_offset, accepted_at FROM participations WHERE campaign_id = ? ORDER BY id',
      [campaignId],
      (row) => {
        const [requestId, userId, status, partition, offset, acceptedAt] = row as [string, number, string, number | null, number | null, Date];
        total++;
        partitions.set(partition, (partitions.get(partition) ?? 0) + 1);
        const at = acceptedAt.getTime();
        if (latest > at) {
          const delayMs = latest - at;
          violations++;
          delaySum += delayMs;
          maxDelay = Math.max(maxDelay, delayMs);
          if (worstLimit > 0) {
            worst.push({ requestId, userId, status, partition, offset, acceptedAt, overtakenBy: new Date(latest), delayMs });
            if (worst.length >= 2 * worstLimit) worst = worst.sort(byDelay).slice(0, worstLimit);
          }
        } else {
          latest = at;
        }
      },
      signal,
    );
    return {
      analysis: {
        totalDecisions: total,
        violations,
        maxDelayMs: maxDelay,
        avgDelayMs: violations === 0 ? 0 : Math.round((delaySum / violations) * 10) / 10,
        partitions: [...partitions]
          .sort(([a], [b]) => (a ?? -1) - (b ?? -1))
          .map(([partition, decisions]) => ({ partition, decisions })),
      },
      worst: worst.sort(byDelay).slice(0, worstLimit),
    };
  }
}
