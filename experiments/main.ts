// `make experiments`: the three architecture experiments, measured on this machine against the
// local stack, written as a Markdown report with PNG charts. EXPERIMENTS_QUICK=1 runs each with
// tiny loads (the report's shape, not its figures, is then the point).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { QueryTypes } from 'sequelize';
import { AggregationJob } from '../services/daily-stats/aggregation-job.js';
import { addDays, dayWindow } from '../services/platform/day-window.js';
import { AggregationRunStore } from '../services/db/aggregation-run-store.js';
import { StatsStore } from '../services/db/stats-store.js';
import { createLogger } from '../services/platform/logger.js';
import { seedData } from '../scripts/seed-data.js';
import { createTestDatabase, type TestDatabase } from '../test/integration/support/database.js';
import { waitFor } from '../test/integration/support/process.js';
import { lineSpec, packageVersion, renderPng, type LineChart } from './charts.js';
import { acknowledged, k6Version, loadThenVerify, metric, type K6Run } from './k6.js';
import { fmt, percentiles, table, yesNo } from './report.js';
import { startSystem, type RunningSystem } from './system.js';

const QUICK = process.env.EXPERIMENTS_QUICK === '1';
const OUT = resolve(process.env.EXPERIMENTS_OUT ?? (QUICK ? '.local/experiments' : 'docs'));
const CHART_DIR = join(OUT, 'experiments');
const plan = QUICK
  ? { rates: [50, 150], loadSec: 2, partitions: [1, 2], orderRate: 100, backlog: 2_000, statsRows: [2_000, 5_000, 10_000], statsSamples: 5 }
  : { rates: [250, 500, 1_000, 2_000, 3_000, 5_000], loadSec: 20, partitions: [1, 2, 3, 5], orderRate: 500, backlog: 100_000, statsRows: [100_000, 1_000_000, 10_000_000], statsSamples: 20 };
const MAX_VUS = QUICK ? 200 : 3_000;
/** Enough stock that no request is answered from the sold-out shortcut: each path is measured whole. */
const UNLIMITED = 10_000_000;

const log = (msg: string) => process.stderr.write(`[experiments ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
mkdirSync(CHART_DIR, { recursive: true });
// idempotent; here rather than only in the Makefile so the test that runs this file finds it too
execFileSync('scripts/install-rsvg.sh', { stdio: ['ignore', 'inherit', 'inherit'] });

interface Decided {
  totalParticipation: number;
  successCount: number;
}

async function status(system: RunningSystem, campaignId: number): Promise<Decided> {
  const res = await fetch(`${system.url}/api/campaigns/${campaignId}/status`);
  return ((await res.json()) as { data: Decided }).data;
}

async function createCampaign(system: RunningSystem, totalStock: number): Promise<number> {
  return ((await system.admin('/campaigns', { name: 'experiment', totalStock })) as { id: number }).id;
}

/** A k6 open-model run followed by verify over every request it sent; correct = verify's checks all passed. */
async function loadAndVerify(system: RunningSystem, env: Record<string, string | number>): Promise<{ load: K6Run; correct: boolean; campaignId: number }> {
  // a run id of its own: lanes run in parallel, and setup()'s default is only the millisecond
  const runId = `x${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const { load, verify, campaignId } = await loadThenVerify(
    'participate-open',
    { BASE_URL: system.url, ADMIN_TOKEN: system.adminToken, RUN_ID: runId, MAX_VUS, THRESHOLDS: 'off', ...env },
    { DRAIN_TIMEOUT_S: 600 },
  );
  return { load, correct: verify.exitCode === 0, campaignId };
}

// ---- 1. sync vs Kafka at the same offered loads -------------------------------------------

interface PathRow {
  path: string;
  offered: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  notSent: number;
  correct: boolean;
}

async function syncVersusKafka(db: TestDatabase): Promise<PathRow[]> {
  const system = await startSystem(db, { apiWorkers: Number(process.env.EXPERIMENTS_API_WORKERS ?? 1) });
  const rows: PathRow[] = [];
  try {
    for (const offered of plan.rates) {
      for (const path of ['kafka', 'sync'] as const) {
        log(`1. ${path} path at ${offered} req/s for ${plan.loadSec}s`);
        const { load, correct } = await loadAndVerify(system, { PARTICIPATION_PATH: path, RATE: offered, DURATION: `${plan.loadSec}s`, STOCK: UNLIMITED });
        const s = load.summary;
        const answered = acknowledged(s);
        rows.push({
          path,
          offered,
          throughput: answered / plan.loadSec,
          p50: metric(s, 'participation_answered', 'med'),
          p95: metric(s, 'participation_answered', 'p(95)'),
          p99: metric(s, 'participation_answered', 'p(99)'),
          // sent but not answered 200/202: refused (429), not confirmed (503) or failed in transport
          errors: metric(s, 'iterations') - answered,
          // due by the arrival rate but never sent: every k6 VU was still waiting for an answer
          notSent: metric(s, 'dropped_iterations'),
          correct,
        });
      }
    }
  } finally {
    await system.stop();
  }
  return rows;
}

// ---- 2. partitions: user-keyed and campaign-keyed ------------------------------------------

interface PartitionRow {
  mode: 'user-keyed' | 'campaign-keyed';
  partitions: number;
  decisionsPerSec: number;
  violations: number;
  decisions: number;
  correct: boolean;
}

interface OrderAnalysis {
  totalDecisions: number;
  violations: number;
}

/**
 * Decisions/s of the deciders alone: `count` per campaign is published through participate-bulk
 * while the consumer is stopped, then timed from the consumer being ready until all are decided.
 */
async function drain(system: RunningSystem, campaigns: number[], count: number): Promise<number> {
  const decided = async () => (await Promise.all(campaigns.map(async (id) => (await status(system, id)).totalParticipation))).reduce((a, b) => a + b, 0);
  const target = (await decided()) + campaigns.length * count;
  await system.withConsumerStopped(() => Promise.all(campaigns.map((campaignId) => system.admin('/test/participate-bulk', { campaignId, count, startUserId: 1 }))));
  // the consumer may have decided a little while its readiness was being polled: count from here
  const started = performance.now();
  const atStart = await decided();
  await waitFor('backlog decided', async () => (await decided()) >= target, 1_800_000);
  return ((target - atStart) * 1000) / (performance.now() - started);
}

async function partitionRun(db: TestDatabase, partitions: number, mode: PartitionRow['mode']): Promise<PartitionRow> {
  const system = await startSystem(db, { partitions, partitionKey: mode === 'user-keyed' ? 'user' : 'campaign' });
  try {
    // user-keyed: one campaign spread over every partition; campaign-keyed: one campaign per partition
    const lanes = mode === 'user-keyed' ? 1 : partitions;
    const rate = Math.ceil(plan.orderRate / lanes);
    // stock for half the arrivals: the first half is decided through the log, the rest sells out
    const stock = Math.max(1, Math.floor((rate * plan.loadSec) / 2));
    const order = await Promise.all(
      Array.from({ length: lanes }, async () => {
        const campaignId = await createCampaign(system, stock);
        return loadAndVerify(system, { CAMPAIGN_ID: campaignId, RATE: rate, DURATION: `${plan.loadSec}s` });
      }),
    );
    const analyses = await Promise.all(order.map(async (o) => (await system.admin(`/stats/order-analysis/${o.campaignId}`)) as OrderAnalysis));
    const backlogCampaigns = await Promise.all(Array.from({ length: lanes }, () => createCampaign(system, 100)));
    const decisionsPerSec = await drain(system, backlogCampaigns, Math.ceil(plan.backlog / lanes));
    const winners = await Promise.all(backlogCampaigns.map(async (id) => (await status(system, id)).successCount));
    return {
      mode,
      partitions,
      decisionsPerSec,
      violations: analyses.reduce((n, a) => n + a.violations, 0),
      decisions: analyses.reduce((n, a) => n + a.totalDecisions, 0),
      correct: order.every((o) => o.correct) && winners.every((w) => w === 100),
    };
  } finally {
    await system.stop();
  }
}

// ---- 3. raw vs pre-aggregated statistics -----------------------------------------------------

interface StatsRow {
  rows: number;
  dayRows: number;
  rawP50: number;
  rawP99: number;
  aggregatedP50: number;
  aggregatedP99: number;
}

async function statistics(rows: number): Promise<StatsRow> {
  const db = await createTestDatabase();
  try {
    const days = 30;
    const endDate = '2026-10-31';
    log(`3. seeding ${fmt(rows)} history rows`);
    await seedData(db.sequelize, { campaigns: 10, days, rows, timeZone: 'UTC', endDate });
    const day = addDays(endDate, -Math.floor(days / 2));
    const stats = new StatsStore(db.sequelize);
    const job = new AggregationJob(
      { stats, executions: new AggregationRunStore(db.sequelize), logger: createLogger('experiments', 'silent') },
      { timeZone: 'UTC', retentionDays: 3650, staleAfterMs: 600_000, decidedMarginMs: 300_000 },
    );
    const dayRows = await (await job.start(day)).done;
    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    log(`3. timing the two queries over ${fmt(rows)} rows`);
    const window = dayWindow(day, 'UTC');
    await stats.raw(window); // the first call warms the buffer pool for both
    const raw: number[] = [];
    for (let i = 0; i < plan.statsSamples; i++) raw.push(await time(() => stats.raw(window)));
    const aggregated: number[] = [];
    for (let i = 0; i < plan.statsSamples * 10; i++) aggregated.push(await time(() => stats.daily(day)));
    const [rawP50 = 0, rawP99 = 0] = percentiles(raw, [50, 99]);
    const [aggregatedP50 = 0, aggregatedP99 = 0] = percentiles(aggregated, [50, 99]);
    return { rows, dayRows: dayRows.rows, rawP50, rawP99, aggregatedP50, aggregatedP99 };
  } finally {
    await db.drop();
  }
}

// ---- the report --------------------------------------------------------------------------

async function chart(name: string, spec: LineChart): Promise<string> {
  const file = join(CHART_DIR, `${name}.png`);
  await renderPng(lineSpec(spec), file);
  return `![${spec.title}](${relative(OUT, file)})`;
}

async function machine(db: TestDatabase): Promise<string> {
  const [mariadb] = await db.sequelize.query<{ v: string }>('SELECT VERSION() AS v', { type: QueryTypes.SELECT });
  const kafka = /KAFKA_VERSION="\$\{KAFKA_VERSION:-([^}]+)\}"/.exec(readFileSync('scripts/install-kafka.sh', 'utf8'))?.[1] ?? 'unknown';
  return [
    `- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `- Node ${process.version}, ${await k6Version()}, MariaDB ${mariadb?.v ?? 'unknown'}, Kafka ${kafka}, vega ${packageVersion('vega')}, vega-lite ${packageVersion('vega-lite')}`,
    `- Run: ${new Date().toISOString()}, ${QUICK ? '**quick mode (EXPERIMENTS_QUICK=1): tiny loads, the figures mean nothing**' : 'full mode'}; the api, consumer, MariaDB, Kafka and k6 share this one machine`,
  ].join('\n');
}

const db = await createTestDatabase();
try {
  const header = await machine(db);
  const paths = await syncVersusKafka(db);
  const parts: PartitionRow[] = [];
  for (const p of plan.partitions) {
    for (const mode of ['user-keyed', 'campaign-keyed'] as const) {
      log(`2. ${p} partition(s), ${mode}`);
      parts.push(await partitionRun(db, p, mode));
    }
  }
  const statsRows: StatsRow[] = [];
  for (const rows of plan.statsRows) statsRows.push(await statistics(rows));

  log('rendering charts');
  const pathRows = paths.map((r) => ({ ...r }));
  const charts = {
    throughput: await chart('sync-vs-kafka-throughput', { title: 'Answered requests/s at an offered rate', rows: pathRows, x: { field: 'offered', title: 'offered req/s (open model)' }, y: { field: 'throughput', title: 'answered req/s' }, series: 'path' }),
    latency: await chart('sync-vs-kafka-p99', { title: 'p99 latency at an offered rate', rows: pathRows, x: { field: 'offered', title: 'offered req/s (open model)' }, y: { field: 'p99', title: 'p99 ms', log: true }, series: 'path' }),
    partitions: await chart('partitions-decisions', { title: 'Decisions/s draining a backlog', rows: parts.map((r) => ({ ...r })), x: { field: 'partitions', title: 'partitions' }, y: { field: 'decisionsPerSec', title: 'decisions/s' }, series: 'mode' }),
    stats: await chart('statistics-p50', {
      title: 'Daily statistics query, p50',
      rows: statsRows.flatMap((r) => [
        { rows: r.rows, ms: r.rawP50, method: 'raw query' },
        { rows: r.rows, ms: r.aggregatedP50, method: 'pre-aggregated' },
      ]),
      x: { field: 'rows', title: 'history rows', log: true },
      y: { field: 'ms', title: 'p50 ms', log: true },
      series: 'method',
    }),
  };
  const kafkaBest = Math.max(...paths.filter((r) => r.path === 'kafka').map((r) => r.throughput));
  // the highest offered rate the Kafka path kept up with: at least 95 % of it answered
  const kafkaKept = paths.filter((r) => r.path === 'kafka' && r.throughput >= 0.95 * r.offered).at(-1);
  const onePartition = parts.find((r) => r.partitions === 1 && r.mode === 'user-keyed');
  const largestStats = statsRows.at(-1);
  const campaignKeyedViolations = parts.filter((r) => r.mode === 'campaign-keyed').reduce((n, r) => n + r.violations, 0);
  const userKeyedViolations = parts.filter((r) => r.mode === 'user-keyed' && r.partitions > 1).reduce((n, r) => n + r.violations, 0);

  const report = `# Architecture experiments

Regenerated by \`make experiments\` (every figure below was measured in the run described here;
\`EXPERIMENTS_QUICK=1\` is a seconds-long smoke run of the same code). Loads come from the k6
scripts in \`loadtest/\`; "correct" means \`loadtest/verify.ts\` found, through the API, winners ==
min(stock, distinct users), nobody winning twice, the counters agreeing with the history, and every
accepted request decided.

${header}

## 1. Synchronous path vs Kafka path at the same offered load

Open model (k6 \`constant-arrival-rate\`, ${plan.loadSec} s per point, every user new, stock large
enough that every request takes its whole path). "Answered" counts 202 (Kafka path, durable in the
log) and 200 (sync path, decided); errors are requests answered otherwise (429, 503) or failed in
transport; "not sent" are arrivals k6 dropped because all of its ${fmt(MAX_VUS)} VUs were waiting for answers.

${charts.throughput}

${charts.latency}

${table(
  ['path', 'offered req/s', 'answered req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'not sent', 'correct'],
  paths.map((r) => [r.path, fmt(r.offered), fmt(r.throughput), fmt(r.p50, 1), fmt(r.p95, 1), fmt(r.p99, 1), fmt(r.errors), fmt(r.notSent), yesNo(r.correct)]),
  [false, true, true, true, true, true, true, true, false],
)}

Past saturation, read the columns together: once all ${fmt(MAX_VUS)} VUs are waiting, further
arrivals are not sent, so the percentiles describe only the requests that were sent and answered,
and a path that answers fewer keeps fewer waiting.

Original system, Kafka path: **978 req/s with p99 14.5 s**. Here: the highest offered rate the
Kafka path kept up with (at least 95 % answered) was ${kafkaKept ? `${fmt(kafkaKept.offered)} req/s, answered at ${fmt(kafkaKept.throughput)} req/s with
p99 ${fmt(kafkaKept.p99, 1)} ms` : 'none of the rates here'}; its best answered rate was ${fmt(kafkaBest)} req/s.

## 2. Partitions: user-keyed vs campaign-keyed

Per partition count, a fresh topic and one consumer process running one decider per partition
(\`CONSUMER_ALLOW_MULTIPLE_PARTITIONS=true\`, \`CONSUMER_PARTITIONS_CONCURRENTLY\` = partitions: each
partition's batches are decided in transactions of their own, concurrently).
Order: k6 at ${fmt(plan.orderRate)} req/s in total for ${plan.loadSec} s on campaigns whose stock is half their arrivals (user-keyed:
one campaign over every partition; campaign-keyed, \`PARTITION_KEY=campaign\`: one campaign per
partition, loaded in parallel), then \`GET /api/admin/stats/order-analysis/{id}\` (decisions that
overtook an earlier arrival). Decisions/s: a backlog of ${fmt(plan.backlog)} participations (split over the
campaigns) published by \`participate-bulk\` while the consumer is stopped, then timed from the
consumer being ready until all are decided: the deciders' pace, not the publisher's.

${charts.partitions}

${table(
  ['mode', 'partitions', 'decisions/s', 'order violations', 'of decisions', 'correct'],
  parts.map((r) => [r.mode, fmt(r.partitions), fmt(r.decisionsPerSec), fmt(r.violations), fmt(r.decisions), yesNo(r.correct)]),
  [false, true, true, true, true, false],
)}

Original system: **278 decisions/s on one partition** (its table for more partitions is blank).
Here, one partition: ${fmt(onePartition?.decisionsPerSec ?? Number.NaN)} decisions/s. Order violations with
campaign-keyed placement, all partition counts together: ${fmt(campaignKeyedViolations)} (each campaign is on one
partition, so it is decided in its log order); with user-keyed placement and more than one
partition: ${fmt(userKeyedViolations)}. User-keyed, the partitions' deciders all lock the one campaign's row, so
they take turns; campaign-keyed, each locks its own campaign and they proceed side by side.

## 3. Raw vs pre-aggregated daily statistics

Generated history (\`scripts/seed-data.ts\`: 10 campaigns × 30 days), one day aggregated by the
aggregation job, then the daily-statistics query of that day (${plan.statsSamples * 10} samples) against the raw
query computing the same numbers from the history (${plan.statsSamples} samples), each timed at the
database call (what \`queryTimeMs\` reports).

${charts.stats}

${table(
  ['history rows', 'rows aggregated for the day', 'raw p50 ms', 'raw p99 ms', 'aggregated p50 ms', 'aggregated p99 ms', 'raw / aggregated (p50)'],
  statsRows.map((r) => [fmt(r.rows), fmt(r.dayRows), fmt(r.rawP50, 1), fmt(r.rawP99, 1), fmt(r.aggregatedP50, 2), fmt(r.aggregatedP99, 2), `${fmt(r.rawP50 / r.aggregatedP50)}×`]),
  [true, true, true, true, true, true, true],
)}

Original system: **12 ms pre-aggregated vs 5,200 ms raw**. Here at ${fmt(largestStats?.rows ?? Number.NaN)} rows:
${fmt(largestStats?.aggregatedP50 ?? Number.NaN, 2)} ms vs ${fmt(largestStats?.rawP50 ?? Number.NaN, 1)} ms.
`;
  const file = join(OUT, 'experiments.md');
  writeFileSync(file, report);
  log(`written to ${relative(process.cwd(), file)} and ${relative(process.cwd(), CHART_DIR)}/*.png`);
} finally {
  await db.drop();
}
