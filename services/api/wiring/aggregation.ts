import { AggregationJob, type AggregationOutcome } from '../../daily-stats/aggregation-job.js';
import { aggregationOptionsOf } from '../../daily-stats/config.js';
import type { Logger } from '../../platform/logger.js';
import type { AggregationRunDeps } from '../aggregation-runs/routes.js';
import type { ApiConfig } from '../config.js';
import type { Storage } from './storage.js';

export interface AggregationWiring {
  readonly routes: AggregationRunDeps;
  /** Resolves once every run started in this process has finished and recorded its outcome. */
  settled(): Promise<void>;
}

/** The daily aggregation as the API runs it on request (POST /api/admin/batch/aggregate). */
export function createAggregation(deps: {
  config: ApiConfig;
  storage: Storage;
  logger: Logger;
  clock: () => Date;
  /** Set in a cluster: runs go to Jobs made from the CronJob instead of this process. */
  launcher?: AggregationRunDeps['launcher'];
}): AggregationWiring {
  const { config, storage, logger, clock } = deps;
  const running = new Set<Promise<AggregationOutcome>>();
  const job = new AggregationJob(
    { stats: storage.stats, executions: storage.executions, logger, clock },
    aggregationOptionsOf(config),
  );
  return {
    routes: { job, executions: storage.executions, timeZone: config.STATS_TIME_ZONE, clock, running, launcher: deps.launcher },
    settled: async () => {
      await Promise.allSettled(running);
    },
  };
}
