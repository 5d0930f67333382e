import { z } from 'zod';
import { commonConfigShape, dbConfigShape, env, loadConfig } from '../platform/config.js';
import { isValidTimeZone } from '../platform/day-window.js';

export const statsConfigShape = {
  /** The business time zone: what "a day" means for statistics. */
  STATS_TIME_ZONE: z.string().refine(isValidTimeZone, 'expected an IANA time zone such as Asia/Seoul or UTC').default('UTC'),
  BATCH_RETENTION_DAYS: env.int(90, 1, 3650),
  BATCH_STALE_AFTER_MS: env.int(600_000, 10_000, 86_400_000),
};

export function loadAggregatorConfig(source: Readonly<Record<string, string | undefined>> = process.env) {
  return loadConfig({ ...commonConfigShape, ...dbConfigShape, ...statsConfigShape }, source);
}
