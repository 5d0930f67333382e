import type { ExecutionStatus } from '../db/aggregation-run-store.js';
import { addDays, type IsoDate } from '../platform/day-window.js';

/**
 * The days a scheduled run aggregates: the earlier days of the look-back whose latest run ended
 * PARTIAL or FAILED (a day that was not decided yet at its own run, or a database that failed it),
 * oldest first, then `yesterday`. A day never run is not caught up here (that is the missing-run
 * alert's business), nor one whose latest run is still STARTED (it is running, or will be taken
 * over once its heartbeat is stale).
 */
export function scheduledDays(yesterday: IsoDate, lookBackDays: number, latestStatus: ReadonlyMap<IsoDate, ExecutionStatus>): IsoDate[] {
  const days: IsoDate[] = [];
  for (let back = lookBackDays; back >= 1; back--) {
    const day = addDays(yesterday, -back);
    const status = latestStatus.get(day);
    if (status === 'PARTIAL' || status === 'FAILED') days.push(day);
  }
  days.push(yesterday);
  return days;
}
