import { QueryTypes } from 'sequelize';
import { percentiles } from '../experiments/report.js';
import { AggregationJob } from '../services/daily-stats/aggregation-job.js';
import { addDays, dayWindow } from '../services/platform/day-window.js';
import { AggregationRunStore } from '../services/db/aggregation-run-store.js';
import { StatsStore } from '../services/db/stats-store.js';
import { createLogger } from '../services/platform/logger.js';
import { seedData } from '../scripts/seed-data.js';
import type { TestDatabase } from '../test/integration/support/database.js';

export interface StatsFigures {
  seeded: { rows: number; campaigns: number; days: number; seconds: number };
  oneDay: { rows: number; seconds: number; rawQuerySeconds: number };
  allDays: { rows: number; seconds: number; fullScanSeconds: number };
  daily: { p50: number; p99: number };
  raw: { p50: number; p99: number };
}

const ZONE = 'UTC';

function p50p99(samples: readonly number[]): { p50: number; p99: number } {
  const [p50 = Number.NaN, p99 = Number.NaN] = percentiles(samples, [50, 99]);
  return { p50, p99 };
}

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * The statistics claim, measured: the default generated history (10 campaigns x 30 days,
 * 1,000,000 rows), aggregated for one day and for all 30, then the daily-stats query against the
 * raw query of the same day, each timed at the database call (what queryTimeMs reports).
 */
export async function benchStats(db: TestDatabase, log: (msg: string) => void): Promise<StatsFigures> {
  const campaigns = Number(process.env.BENCH_SEED_CAMPAIGNS ?? 10);
  const days = Number(process.env.BENCH_SEED_DAYS ?? 30);
  const rows = Number(process.env.BENCH_SEED_ROWS ?? 1_000_000);
  const endDate = '2026-10-31';
  log(`seeding ${rows.toLocaleString()} history rows (${campaigns} campaigns x ${days} days)`);
  const seeded = await seedData(db.sequelize, { campaigns, days, rows, timeZone: ZONE, endDate });

  const stats = new StatsStore(db.sequelize);
  const job = new AggregationJob(
    { stats, executions: new AggregationRunStore(db.sequelize), logger: createLogger('bench', 'silent') },
    { timeZone: ZONE, retentionDays: 90, staleAfterMs: 600_000, decidedMarginMs: 300_000 },
  );
  const aggregate = async (date: string) => (await (await job.start(date)).done).rows;

  log('aggregating one day');
  let oneDayRows = 0;
  const oneDayMs = await timeMs(async () => (oneDayRows = await aggregate(endDate)));
  const rawDayMs = await timeMs(() => stats.raw(dayWindow(endDate, ZONE)));

  log(`aggregating all ${days} days`);
  let allRows = 0;
  const allMs = await timeMs(async () => {
    for (let i = days - 1; i >= 0; i--) allRows += await aggregate(addDays(endDate, -i));
  });
  const scanMs = await timeMs(() =>
    db.sequelize.query("SELECT campaign_id, COUNT(*), SUM(status = 'SUCCESS'), COUNT(DISTINCT user_id) FROM participations GROUP BY campaign_id", { type: QueryTypes.SELECT }),
  );

  log('daily-stats query vs raw query');
  const day = addDays(endDate, -Math.floor(days / 2));
  for (let i = 0; i < 20; i++) await stats.daily(day); // warm the pool and the buffer pool
  const dailySamples: number[] = [];
  for (let i = 0; i < 500; i++) dailySamples.push(await timeMs(() => stats.daily(day)));
  const rawSamples: number[] = [];
  for (let i = 0; i < 30; i++) rawSamples.push(await timeMs(() => stats.raw(dayWindow(day, ZONE))));

  return {
    seeded: { rows: seeded.rows, campaigns, days, seconds: seeded.seconds },
    oneDay: { rows: oneDayRows, seconds: oneDayMs / 1000, rawQuerySeconds: rawDayMs / 1000 },
    allDays: { rows: allRows, seconds: allMs / 1000, fullScanSeconds: scanMs / 1000 },
    daily: p50p99(dailySamples),
    raw: p50p99(rawSamples),
  };
}
