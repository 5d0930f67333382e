import { z } from 'zod';
import type { AggregationOptions } from './aggregation-job.js';
import { env } from '../platform/config.js';
import { isValidTimeZone } from '../platform/day-window.js';

/** The daily statistics' settings, shared by the aggregator and the API that can start a run. */
export const statsConfigShape = {
  /** The business time zone: what "a day" means for statistics. */
  STATS_TIME_ZONE: z.string().refine(isValidTimeZone, 'expected an IANA time zone such as Asia/Seoul or UTC').default('UTC'),
  AGGREGATION_RETENTION_DAYS: env.int(90, 1, 3650),
  AGGREGATION_STALE_AFTER_MS: env.int(600_000, 10_000, 86_400_000),
  /**
   * A day is aggregated once the decider has passed every entry accepted before its end plus this:
   * how far an API's clock may be behind, and a produce may take, at most.
   */
  AGGREGATION_DECIDED_MARGIN_MS: env.int(300_000, 0, 86_400_000),
  /** How many days before yesterday a scheduled run looks back for days whose latest run ended PARTIAL or FAILED, to complete them. */
  AGGREGATION_CATCH_UP_DAYS: env.int(7, 0, 90),
};

/** The job's options as the configuration gives them. */
export function aggregationOptionsOf(config: {
  STATS_TIME_ZONE: string;
  AGGREGATION_RETENTION_DAYS: number;
  AGGREGATION_STALE_AFTER_MS: number;
  AGGREGATION_DECIDED_MARGIN_MS: number;
}): AggregationOptions {
  return {
    timeZone: config.STATS_TIME_ZONE,
    retentionDays: config.AGGREGATION_RETENTION_DAYS,
    staleAfterMs: config.AGGREGATION_STALE_AFTER_MS,
    decidedMarginMs: config.AGGREGATION_DECIDED_MARGIN_MS,
  };
}
