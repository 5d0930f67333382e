import { publishBacklog } from './publish.js';
import { QueryTypes } from 'sequelize';
import { AggregationJob } from '../services/daily-stats/aggregation-job.js';
import { AggregationRunStore } from '../services/db/aggregation-run-store.js';
import { StatsStore } from '../services/db/stats-store.js';
import { yesterdayIn } from '../services/platform/day-window.js';
import { createLogger } from '../services/platform/logger.js';
import { seedData } from '../scripts/seed-data.js';
import { startTestConsumer } from '../test/integration/support/consumer.js';
import type { TestDatabase } from '../test/integration/support/database.js';
import { deleteTopics, uniqueTopic } from '../test/integration/support/kafka.js';
import { waitFor } from '../test/integration/support/process.js';

export interface DeciderDuringAggregation {
  dayRows: number;
  /** Decisions per second in each phase, in the order run: without, during, without, during. */
  phases: { aggregating: boolean; seconds: number; decisionsPerSec: number }[];
}

const ROWS = Number(process.env.BENCH_AGG_ROWS ?? 1_000_000);
const BACKLOG = Number(process.env.BENCH_AGG_BACKLOG ?? 600_000);
const FIRST_PHASE_SEC = 5;

/**
 * The decider's pace while the 02:00 job aggregates a day of `ROWS` history rows, against its pace
 * just before and after, alternated A/B/A/B so that drift on a shared machine touches both. The
 * decider works through a backlog for the very campaigns being aggregated, stamped today, as when a
 * rush runs at 02:00; each phase without the aggregation lasts as long as the run before it.
 */
export async function benchDeciderDuringAggregation(db: TestDatabase, log: (msg: string) => void): Promise<DeciderDuringAggregation> {
  const day = yesterdayIn(new Date(), 'UTC');
  log(`aggregation vs decider: seeding ${ROWS.toLocaleString()} rows of ${day}`);
  const seeded = await seedData(db.sequelize, { campaigns: 10, days: 1, rows: ROWS, timeZone: 'UTC', endDate: day });
  await db.sequelize.query('UPDATE campaigns SET total_stock = 1000000, current_stock = 1000000 WHERE id IN (?)', { replacements: [seeded.campaignIds] });

  const topic = uniqueTopic('bench-agg');
  log(`aggregation vs decider: publishing a backlog of ${BACKLOG.toLocaleString()}`);
  const acceptedAt = new Date().toISOString();
  await publishBacklog(topic, BACKLOG, (n) => ({ v: 1, requestId: `agg-${n}`, campaignId: seeded.campaignIds[n % seeded.campaignIds.length] ?? 0, userId: 9_000_000_000 + n, acceptedAt }));

  const offset = async () =>
    Number((await db.sequelize.query<{ n: number | string }>('SELECT next_offset AS n FROM consumer_offsets WHERE topic = ?', { replacements: [topic], type: QueryTypes.SELECT }))[0]?.n ?? 0);
  const job = new AggregationJob(
    { stats: new StatsStore(db.sequelize), executions: new AggregationRunStore(db.sequelize), logger: createLogger('bench', 'silent') },
    { timeZone: 'UTC', retentionDays: 90, staleAfterMs: 600_000, decidedMarginMs: 0 },
  );
  const consumer = await startTestConsumer(db.config, topic, { LOG_LEVEL: 'warn' });
  const phases: DeciderDuringAggregation['phases'] = [];
  let dayRows = 0;
  try {
    await waitFor('the decider under way', async () => (await offset()) > 0, 120_000);
    const measure = async (aggregating: boolean, work: () => Promise<void>) => {
      const from = await offset();
      const started = performance.now();
      await work();
      const seconds = (performance.now() - started) / 1000;
      const decided = (await offset()) - from;
      if ((await offset()) >= BACKLOG) throw new Error(`the backlog ran out during a phase: raise BENCH_AGG_BACKLOG above ${BACKLOG}`);
      phases.push({ aggregating, seconds, decisionsPerSec: decided / seconds });
      log(`aggregation vs decider: ${aggregating ? 'during the aggregation' : 'without'} ${Math.round(decided / seconds)} decisions/s over ${seconds.toFixed(1)} s`);
      return seconds;
    };
    const pause = (seconds: number) => () => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));
    const aggregate = async () => {
      const outcome = await (await job.start(day)).done;
      if (outcome.status !== 'COMPLETED') throw new Error(`aggregation ended ${outcome.status}`);
      dayRows = outcome.rows;
    };
    await measure(false, pause(FIRST_PHASE_SEC));
    const first = await measure(true, aggregate);
    await measure(false, pause(first));
    await measure(true, aggregate);
  } finally {
    await consumer.stop();
    await deleteTopics([topic]);
  }
  return { dayRows, phases };
}
