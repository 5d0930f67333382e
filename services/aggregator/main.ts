import { parseArgs } from 'node:util';
import { AGGREGATION_JOB, AlreadyRunningError, AggregationRunStore } from '../db/aggregation-run-store.js';
import { createSequelize } from '../db/sequelize.js';
import { StatsStore } from '../db/stats-store.js';
import { createLogger } from '../platform/logger.js';
import { configOrExit } from '../platform/process.js';
import { AggregationJob } from '../daily-stats/aggregation-job.js';
import { scheduledDays } from '../daily-stats/catch-up.js';
import { aggregationOptionsOf, statsConfigShape } from '../daily-stats/config.js';
import { commonConfigShape, dbConfigShape, loadConfig } from '../platform/config.js';
import { addDays, InvalidDateError, yesterdayIn } from '../platform/day-window.js';

// Exit codes: 0 completed, 1 partial/failed/already running, 2 bad configuration or arguments.
const config = configOrExit(() => loadConfig({ ...commonConfigShape, ...dbConfigShape, ...statsConfigShape }));
const logger = createLogger('aggregator', config.LOG_LEVEL);

// Without --date: the scheduled run (yesterday, after the earlier days it completes).
let date: string | undefined;
// Set when the API claimed the execution and started this process as a Kubernetes Job for it.
let claimed: number | undefined;
try {
  const { values } = parseArgs({ options: { date: { type: 'string' }, 'execution-id': { type: 'string' } }, strict: true });
  date = values.date;
  if (values['execution-id'] !== undefined) {
    claimed = Number(values['execution-id']);
    if (!Number.isSafeInteger(claimed) || claimed < 1) throw new Error(`--execution-id: expected a positive integer, got ${values['execution-id']}`);
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\nusage: aggregator [--date YYYY-MM-DD] [--execution-id N]\n`);
  process.exit(2);
}

const sequelize = createSequelize(config);
const executions = new AggregationRunStore(sequelize);
const job = new AggregationJob({ stats: new StatsStore(sequelize), executions, logger }, aggregationOptionsOf(config));
try {
  if (claimed !== undefined) {
    process.exitCode = (await job.runClaimed(claimed, date ?? yesterdayIn(new Date(), config.STATS_TIME_ZONE))).status === 'COMPLETED' ? 0 : 1;
  } else {
    let days: string[];
    if (date !== undefined) {
      days = [date];
    } else {
      // a day that was not decided yet at its own run is completed by a later one, without an operator
      const yesterday = yesterdayIn(new Date(), config.STATS_TIME_ZONE);
      const lookBack = config.AGGREGATION_CATCH_UP_DAYS;
      days = scheduledDays(yesterday, lookBack, await executions.latestStatuses(AGGREGATION_JOB, addDays(yesterday, -lookBack), addDays(yesterday, -1)));
      if (days.length > 1) logger.info({ days }, 'completing earlier days whose latest run did not complete');
    }
    let completed = 0;
    for (const day of days) {
      date = day;
      try {
        if ((await (await job.start(day)).done).status === 'COMPLETED') completed++;
      } catch (err) {
        // another run holds an earlier day: that day is its business, the next ones still ours
        if (!(err instanceof AlreadyRunningError) || day === days.at(-1)) throw err;
        logger.error({ executionId: err.executionId, date: day }, 'another run of this day is in progress');
      }
    }
    process.exitCode = completed === days.length ? 0 : 1;
  }
} catch (err) {
  if (err instanceof InvalidDateError) {
    process.stderr.write(`--date: ${err.message}\n`);
    process.exitCode = 2;
  } else if (err instanceof AlreadyRunningError) {
    logger.error({ executionId: err.executionId, date }, 'another run of this day is in progress');
    process.exitCode = 1;
  } else {
    logger.error({ err }, 'aggregation could not start');
    process.exitCode = 1;
  }
} finally {
  await sequelize.close();
}
