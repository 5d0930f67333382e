import { parseArgs } from 'node:util';
import { AlreadyRunningError, AggregationRunStore } from '../db/aggregation-run-store.js';
import { createSequelize } from '../db/sequelize.js';
import { StatsStore } from '../db/stats-store.js';
import { createLogger } from '../platform/logger.js';
import { configOrExit } from '../platform/process.js';
import { AggregationJob } from '../daily-stats/aggregation-job.js';
import { aggregationOptionsOf, statsConfigShape } from '../daily-stats/config.js';
import { commonConfigShape, dbConfigShape, loadConfig } from '../platform/config.js';
import { InvalidDateError, yesterdayIn } from '../platform/day-window.js';

// Exit codes: 0 completed, 1 partial/failed/already running, 2 bad configuration or arguments.
const config = configOrExit(() => loadConfig({ ...commonConfigShape, ...dbConfigShape, ...statsConfigShape }));
const logger = createLogger('aggregator', config.LOG_LEVEL);

let date: string;
// Set when the API claimed the execution and started this process as a Kubernetes Job for it.
let claimed: number | undefined;
try {
  const { values } = parseArgs({ options: { date: { type: 'string' }, 'execution-id': { type: 'string' } }, strict: true });
  date = values.date ?? yesterdayIn(new Date(), config.STATS_TIME_ZONE);
  if (values['execution-id'] !== undefined) {
    claimed = Number(values['execution-id']);
    if (!Number.isSafeInteger(claimed) || claimed < 1) throw new Error(`--execution-id: expected a positive integer, got ${values['execution-id']}`);
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\nusage: aggregator [--date YYYY-MM-DD] [--execution-id N]\n`);
  process.exit(2);
}

const sequelize = createSequelize(config);
const job = new AggregationJob(
  { stats: new StatsStore(sequelize), executions: new AggregationRunStore(sequelize), logger },
  aggregationOptionsOf(config),
);
try {
  const outcome = claimed === undefined ? await (await job.start(date)).done : await job.runClaimed(claimed, date);
  process.exitCode = outcome.status === 'COMPLETED' ? 0 : 1;
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
