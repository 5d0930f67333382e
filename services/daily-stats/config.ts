import { z } from 'zod';
import { env } from '../platform/config.js';
import { isValidTimeZone } from '../platform/day-window.js';

/** The daily statistics' settings, shared by the aggregator and the API that can start a run. */
export const statsConfigShape = {
  /** The business time zone: what "a day" means for statistics. */
  STATS_TIME_ZONE: z.string().refine(isValidTimeZone, 'expected an IANA time zone such as Asia/Seoul or UTC').default('UTC'),
  AGGREGATION_RETENTION_DAYS: env.int(90, 1, 3650),
  AGGREGATION_STALE_AFTER_MS: env.int(600_000, 10_000, 86_400_000),
};
