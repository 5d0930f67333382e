/**
 * `make bench`: every figure beside a baseline measured in the same run. BENCH_SECTIONS picks the
 * sections (default http,open,ratelimit,consumer,stats); `aggregation` and `backlog` run only when
 * named: they seed a million and ten million history rows (see README, Benchmarks).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { QueryTypes } from 'sequelize';
import { DecisionStore, type DecisionRow } from '../services/db/decision-store.js';
import { encodeParticipation } from '../services/kafka/participation-message.js';
import { metric, runK6 } from '../experiments/k6.js';
import { fmt } from '../experiments/report.js';
import { startTestConsumer } from '../test/integration/support/consumer.js';
import { createTestDatabase } from '../test/integration/support/database.js';
import { deleteTopics, testKafka, uniqueTopic } from '../test/integration/support/kafka.js';
import { freePort, spawnEntrypoint, waitFor } from '../test/integration/support/process.js';
import { spawnBenchApi as spawnApi } from './api.js';
import { runLoad, type LoadResult } from './load.js';
import { treeCpuSec } from './proc-cpu.js';
import { limiterCost } from './rate-limit.js';
import { benchBacklog } from './backlog.js';
import { benchDeciderDuringAggregation } from './decider-aggregation.js';
import { mean } from './mean.js';
import { benchStats, type StatsFigures } from './stats.js';

const DURATION = Number(process.env.BENCH_DURATION_SEC ?? 10);
/** How long the HTTP section watches the api and the bare server doing nothing. */
const REST_SECONDS = 10;
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '100,500').split(',').map(Number);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'http,open,ratelimit,consumer,stats').split(','));
const OPEN_RATE = Number(process.env.BENCH_OPEN_RATE ?? 3_000);
/** Each comparison is measured A/B/B/A…: this many rounds of every side (every other round in reverse order), reported as their mean. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

interface Row {
  figure: string;
  value: string;
  baseline: string;
  baselineValue: string;
  ratio: string;
}

const db = await createTestDatabase();
const ingestTopic = uniqueTopic('bench-ingest');
const backlogTopic = uniqueTopic('bench-backlog');
const rows: Row[] = [];
const loads: LoadResult[] = [];
let statsFigures: StatsFigures | undefined;
let backlogNote = '';

const spawnBenchApi = (env: Record<string, string>) => spawnApi(db.config, ingestTopic, env);

/** CPU seconds the API's processes used while `work` ran. */
async function apiCpu<T>(pid: number | undefined, work: () => Promise<T>): Promise<{ result: T; cpuSec: number }> {
  const before = pid === undefined ? 0 : treeCpuSec(pid);
  const result = await work();
  return { result, cpuSec: pid === undefined ? 0 : treeCpuSec(pid) - before };
}

type Measured = LoadResult & { cpuMsPerRequest: number; brokerCpuMsPerRequest: number };

/** The local stack's broker, whose CPU the Kafka path costs beside the API's (undefined: not a local stack). */
const brokerPid = (() => {
  try {
    return Number(readFileSync(`${process.env.LOCAL_STACK_DIR ?? '.local'}/kafka/kafka.pid`, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
})();

/** The sides of a round with their indexes: in order on odd rounds, reversed on even ones. */
function inRoundOrder<T>(sides: readonly T[], round: number): [number, T][] {
  const indexed = [...sides.entries()];
  return round % 2 === 1 ? indexed : indexed.reverse();
}

/** The mean of every figure over the rounds of one side. */
function meanOf(runs: readonly Measured[]): Measured {
  const first = runs[0];
  if (first === undefined) throw new Error('no run measured');
  return {
    ...first,
    rps: mean(runs, (r) => r.rps),
    p50: mean(runs, (r) => r.p50),
    p95: mean(runs, (r) => r.p95),
    p99: mean(runs, (r) => r.p99),
    non2xx: mean(runs, (r) => r.non2xx),
    errors: mean(runs, (r) => r.errors),
    cpuMsPerRequest: mean(runs, (r) => r.cpuMsPerRequest),
    brokerCpuMsPerRequest: mean(runs, (r) => r.brokerCpuMsPerRequest),
  };
}

async function benchHttp(): Promise<void> {
  // the same API twice: the lean participation route (the default) and express alone (LEAN_INGEST_ROUTE=false)
  const lean = await spawnBenchApi({ BENCH_NOOP_ROUTE: 'true' });
  const viaExpress = await spawnBenchApi({ BENCH_NOOP_ROUTE: 'true', LEAN_INGEST_ROUTE: 'false' });
  // the lean route again, each batch produced the moment its lane is free (the default lingers under load)
  const noLinger = await spawnBenchApi({ PRODUCE_LINGER_MS: '0' });
  const barePort = await freePort();
  const bare = spawnEntrypoint('bench/bare-noop.ts', { PORT: String(barePort), WORKERS: process.env.BENCH_API_WORKERS ?? '2' });
  const base = `http://127.0.0.1:${lean.port}`;
  const expressBase = `http://127.0.0.1:${viaExpress.port}`;
  const noLingerBase = `http://127.0.0.1:${noLinger.port}`;
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  await waitFor('api ready', async () => (await fetch(`${base}/readyz`)).status === 200, 60_000);
  await waitFor('express-only api ready', async () => (await fetch(`${expressBase}/readyz`)).status === 200, 60_000);
  await waitFor('api without linger ready', async () => (await fetch(`${noLingerBase}/readyz`)).status === 200, 60_000);
  await waitFor('bare node:http ready', async () => (await fetch(bareUrl, { method: 'POST', body: '{}' })).status === 202, 60_000);
  const campaign = async (stock: number) => {
    const res = await fetch(`${base}/api/admin/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', totalStock: stock }) });
    return ((await res.json()) as { data: { id: number } }).data.id;
  };
  if (SECTIONS.has('http')) {
    // At rest an API connected to the broker should cost what a server that does nothing costs:
    // kafkajs' own request queue woke every connection's process each millisecond (kafka/request-queue-fix.ts).
    const atRest = async (pid: number | undefined) => ((await apiCpu(pid, () => new Promise((r) => setTimeout(r, REST_SECONDS * 1000)))).cpuSec * 100) / REST_SECONDS;
    log(`the api and the bare server at rest, ${REST_SECONDS}s`);
    const [api, bareIdle] = await Promise.all([atRest(lean.api.child.pid), atRest(bare.child.pid)]);
    rows.push({ figure: 'api CPU at rest, % of a core (2 workers, broker connected, no requests)', value: fmt(api, 2), baseline: 'bare node:http no-op at rest', baselineValue: fmt(bareIdle, 2), ratio: bareIdle === 0 ? 'n/a' : fmt(api / bareIdle, 1) });
  }
  const versus = (figure: string, r: LoadResult, baseline: string, b: LoadResult) =>
    rows.push({ figure, value: fmt(r.rps), baseline, baselineValue: fmt(b.rps), ratio: fmt(r.rps / b.rps, 2) });

  for (const c of SECTIONS.has('http') ? CONNECTIONS : []) {
    const kafkaCampaign = await campaign(10_000_000);
    const syncCampaign = await campaign(10_000_000);
    const kafkaPath = `/api/campaigns/${kafkaCampaign}/participation`;
    log(`warm-up at ${c} connections`);
    for (const url of [`${base}/api/bench/noop`, `${base}${kafkaPath}`, `${expressBase}${kafkaPath}`, `${noLingerBase}${kafkaPath}`, bareUrl]) await runLoad('warm-up', url, c, 2);
    const sides = [
      { label: 'bare node:http no-op', url: bareUrl, pid: bare.child.pid },
      { label: 'express no-op route', url: `${base}/api/bench/noop`, pid: lean.api.child.pid },
      { label: 'Kafka path, lean route', url: `${base}${kafkaPath}`, pid: lean.api.child.pid },
      { label: 'Kafka path, express only', url: `${expressBase}${kafkaPath}`, pid: viaExpress.api.child.pid },
      { label: 'Kafka path, lean route, with requestId', url: `${base}${kafkaPath}`, pid: lean.api.child.pid, requestId: true },
      { label: 'Kafka path, express only, with requestId', url: `${expressBase}${kafkaPath}`, pid: viaExpress.api.child.pid, requestId: true },
      { label: 'sync path (one DB transaction)', url: `${base}/api/campaigns/${syncCampaign}/participation-sync`, pid: lean.api.child.pid },
      { label: 'Kafka path, lean route, PRODUCE_LINGER_MS=0', url: `${noLingerBase}${kafkaPath}`, pid: noLinger.api.child.pid },
    ];
    const measured = sides.map(() => [] as Measured[]);
    // every side once per round, the rounds one after another: drift on a shared machine touches all
    // sides alike; every other round in reverse, so that no side always follows the same one (the
    // plain Kafka path, always run just after the no-op route on the same api, read 10-30 % below
    // the same path with requestIds, which an alternated pair on one api does not show)
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, side] of inRoundOrder(sides, round)) {
        log(`${side.label}, ${c} connections, ${DURATION}s, round ${round} of ${ROUNDS}`);
        const brokerBefore = brokerPid === undefined ? 0 : treeCpuSec(brokerPid);
        const { result, cpuSec } = await apiCpu(side.pid, () => runLoad(side.label, side.url, c, DURATION, { requestId: side.requestId === true }));
        const brokerSec = brokerPid === undefined ? 0 : treeCpuSec(brokerPid) - brokerBefore;
        loads.push(result);
        const answered = Math.max(1, result.rps * DURATION);
        measured[i]?.push({ ...result, cpuMsPerRequest: (cpuSec * 1000) / answered, brokerCpuMsPerRequest: (brokerSec * 1000) / answered });
      }
    }
    const [bareNoop, noop, leanPlain, expressPlain, leanId, expressId, sync, unlingered] = measured.map(meanOf) as [
      Measured,
      Measured,
      Measured,
      Measured,
      Measured,
      Measured,
      Measured,
      Measured,
    ];
    versus(`Kafka path req/s @${c} (lean route)`, leanPlain, `express no-op route @${c}`, noop);
    versus(`Kafka path req/s with requestId @${c} (lean route)`, leanId, `express no-op route @${c}`, noop);
    versus(`Kafka path req/s @${c} (lean route)`, leanPlain, `bare node:http no-op @${c}`, bareNoop);
    versus(`Kafka path req/s with requestId @${c} (lean route)`, leanId, `bare node:http no-op @${c}`, bareNoop);
    versus(`Kafka path req/s @${c}, lean route`, leanPlain, `same, express only @${c}`, expressPlain);
    versus(`Kafka path req/s with requestId @${c}, lean route`, leanId, `same, express only @${c}`, expressId);
    versus(`express no-op route req/s @${c}`, noop, `bare node:http no-op @${c}`, bareNoop);
    versus(`sync path req/s @${c}`, sync, `express no-op route @${c}`, noop);
    versus(`Kafka path req/s @${c} (lean route, lingering under load)`, leanPlain, `same, PRODUCE_LINGER_MS=0 @${c}`, unlingered);
    rows.push({
      figure: `api + broker CPU ms per accepted request @${c}, Kafka path (lingering under load)`,
      value: `${fmt(leanPlain.cpuMsPerRequest, 3)} + ${fmt(leanPlain.brokerCpuMsPerRequest, 3)}`,
      baseline: 'same, PRODUCE_LINGER_MS=0',
      baselineValue: `${fmt(unlingered.cpuMsPerRequest, 3)} + ${fmt(unlingered.brokerCpuMsPerRequest, 3)}`,
      ratio: fmt((leanPlain.cpuMsPerRequest + leanPlain.brokerCpuMsPerRequest) / (unlingered.cpuMsPerRequest + unlingered.brokerCpuMsPerRequest), 2),
    });
    rows.push({
      figure: `api CPU ms per accepted request @${c}, Kafka path (lean route / with requestId)`,
      value: `${fmt(leanPlain.cpuMsPerRequest, 3)} / ${fmt(leanId.cpuMsPerRequest, 3)}`,
      baseline: 'express only (plain / with requestId)',
      baselineValue: `${fmt(expressPlain.cpuMsPerRequest, 3)} / ${fmt(expressId.cpuMsPerRequest, 3)}`,
      ratio: fmt(leanPlain.cpuMsPerRequest / expressPlain.cpuMsPerRequest, 2),
    });
    for (const [r, name] of [
      [leanPlain, 'Kafka path'],
      [leanId, 'Kafka path with requestId'],
      [sync, 'sync path'],
    ] as const) {
      rows.push({
        figure: `${name} p50 / p95 / p99 ms @${c}`,
        value: `${fmt(r.p50, 1)} / ${fmt(r.p95, 1)} / ${fmt(r.p99, 1)}`,
        baseline: `express no-op route @${c}`,
        baselineValue: `${fmt(noop.p50, 1)} / ${fmt(noop.p95, 1)} / ${fmt(noop.p99, 1)}`,
        ratio: fmt(r.p99 / noop.p99, 1),
      });
    }
  }
  if (SECTIONS.has('open')) await benchOpenModel(base, noLingerBase, await campaign(10_000_000));
  for (const api of [lean.api, viaExpress.api, noLinger.api, bare]) {
    api.child.kill('SIGTERM');
    await api.exited();
  }
}

/**
 * The rate limiter's cost on the hot path. In process: the limiter against a handler that only
 * calls next(). Over HTTP: the Kafka path with the limiter on (limits far above the load, a new
 * user per request, so nothing is refused) against the same path with it off, each in an API of
 * its own, alternated off/on/off/on so that drift on a shared machine hits both alike.
 */
async function benchRateLimit(): Promise<void> {
  const micro = limiterCost();
  rows.push({
    figure: `rate limiter alone, µs per request (${fmt(micro.calls)} new users, map full)`,
    value: fmt(micro.limiterUs, 3),
    baseline: 'same loop, handler that only calls next()',
    baselineValue: fmt(micro.baselineUs, 3),
    ratio: `+${fmt(micro.limiterUs - micro.baselineUs, 3)} µs`,
  });
  const c = CONNECTIONS[0] ?? 100;
  const runs = new Map<boolean, LoadResult[]>([
    [false, []],
    [true, []],
  ]);
  for (const enabled of [false, true, false, true]) {
    const { port, api } = await spawnBenchApi({
      RATE_LIMIT_ENABLED: String(enabled),
      RATE_LIMIT_USER_PER_SEC: '1000000',
      RATE_LIMIT_USER_BURST: '1000000',
      RATE_LIMIT_ADDRESS_PER_SEC: '1000000',
      RATE_LIMIT_ADDRESS_BURST: '1000000',
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor('api ready', async () => (await fetch(`${base}/readyz`)).status === 200, 60_000);
      const res = await fetch(`${base}/api/admin/campaigns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench-limiter', totalStock: 10_000_000 }) });
      const id = ((await res.json()) as { data: { id: number } }).data.id;
      const url = `${base}/api/campaigns/${id}/participation`;
      const label = `Kafka path, rate limiter ${enabled ? 'on' : 'off'}`;
      log(`${label}, ${c} connections, ${DURATION}s`);
      await runLoad('warm-up', url, c, 2);
      const run = await runLoad(label, url, c, DURATION);
      runs.get(enabled)?.push(run);
      loads.push(run);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited();
    }
  }
  const off = runs.get(false) ?? [];
  const on = runs.get(true) ?? [];
  rows.push(
    {
      figure: `Kafka path req/s, rate limiter on @${c} (mean of 2 runs)`,
      value: fmt(mean(on, (r) => r.rps)),
      baseline: `same path, limiter off @${c} (mean of 2)`,
      baselineValue: fmt(mean(off, (r) => r.rps)),
      ratio: fmt(mean(on, (r) => r.rps) / mean(off, (r) => r.rps), 2),
    },
    {
      figure: `Kafka path p50 / p99 ms, rate limiter on @${c} (mean of 2 runs)`,
      value: `${fmt(mean(on, (r) => r.p50), 1)} / ${fmt(mean(on, (r) => r.p99), 1)}`,
      baseline: `same path, limiter off @${c} (mean of 2)`,
      baselineValue: `${fmt(mean(off, (r) => r.p50), 1)} / ${fmt(mean(off, (r) => r.p99), 1)}`,
      ratio: fmt(mean(on, (r) => r.p99) / mean(off, (r) => r.p99), 2),
    },
  );
}

/**
 * Open model (k6 constant-arrival-rate): requests keep arriving at OPEN_RATE whatever the
 * latency, so queueing shows in p99 instead of slowing the load down (wrk's closed loop hides it).
 */
/** `unlingered`: the same API with PRODUCE_LINGER_MS=0, the third side. */
async function benchOpenModel(base: string, unlingered: string, campaignId: number): Promise<void> {
  const run = async (path: 'noop' | 'kafka', seconds = DURATION, url = base) => {
    log(`k6 open model: ${path}${url === base ? '' : ' (PRODUCE_LINGER_MS=0)'} at ${OPEN_RATE} req/s, ${seconds}s`);
    const { summary } = await runK6('participate-open', {
      BASE_URL: url,
      CAMPAIGN_ID: campaignId,
      PARTICIPATION_PATH: path,
      RATE: OPEN_RATE,
      DURATION: `${seconds}s`,
      USER_BASE: 900_000_000 + userOffset,
      MAX_VUS: 3_000,
      PRE_VUS: Math.min(3_000, Math.ceil(OPEN_RATE / 3)),
      // a benchmark measures, it does not judge
      THRESHOLDS: 'off',
    });
    userOffset += OPEN_RATE * seconds * 2;
    const sent = metric(summary, 'iterations');
    const answered = metric(summary, 'outcome_accepted');
    log(`  sent ${sent}, 202 ${answered}, 503 ${metric(summary, 'outcome_unavailable')}, not sent ${metric(summary, 'dropped_iterations')}`);
    return { p99: metric(summary, 'participation_answered', 'p(99)'), errors: sent - answered + metric(summary, 'dropped_iterations'), sent };
  };
  let userOffset = 0;
  // first runs on a fresh api pay for connections, JIT and the campaign cache: not measured
  await run('noop', 2);
  await run('kafka', 2);
  await run('kafka', 2, unlingered);
  const sides = [() => run('noop'), () => run('kafka'), () => run('kafka', DURATION, unlingered)];
  type Run = Awaited<ReturnType<typeof run>>;
  const into: [Run[], Run[], Run[]] = [[], [], []];
  for (let round = 1; round <= ROUNDS; round++) for (const [i, side] of inRoundOrder(sides, round)) into[i]?.push(await side());
  const [noops, kafkas, unlingereds] = into;
  const meanRun = (runs: typeof noops) => ({ p99: mean(runs, (r) => r.p99), errors: mean(runs, (r) => r.errors), sent: mean(runs, (r) => r.sent) });
  const noop = meanRun(noops);
  const kafka = meanRun(kafkas);
  const kafkaAtOnce = meanRun(unlingereds);
  rows.push(
    {
      figure: `Kafka path p99 ms, open model @${fmt(OPEN_RATE)} req/s`,
      value: fmt(kafka.p99, 1),
      baseline: `no-op route, same rate`,
      baselineValue: fmt(noop.p99, 1),
      ratio: fmt(kafka.p99 / noop.p99, 1),
    },
    {
      figure: `Kafka path errors + not sent, open model @${fmt(OPEN_RATE)} req/s (of ${fmt(kafka.sent)})`,
      value: fmt(kafka.errors),
      baseline: `no-op route, same rate (of ${fmt(noop.sent)})`,
      baselineValue: fmt(noop.errors),
      ratio: noop.errors === 0 ? 'n/a' : fmt(kafka.errors / noop.errors, 1),
    },
    {
      figure: `Kafka path p99 ms / errors + not sent, open model @${fmt(OPEN_RATE)} req/s, lingering under load`,
      value: `${fmt(kafka.p99, 1)} / ${fmt(kafka.errors)}`,
      baseline: 'same, PRODUCE_LINGER_MS=0',
      baselineValue: `${fmt(kafkaAtOnce.p99, 1)} / ${fmt(kafkaAtOnce.errors)}`,
      ratio: fmt(kafka.p99 / kafkaAtOnce.p99, 1),
    },
  );
}

/** A backlog decided and committed, against a raw consume of the same log. */
async function benchConsumer(): Promise<void> {
  log(`publishing a backlog of ${BACKLOG.toLocaleString()} participations`);
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: backlogTopic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const [{ id: backlogCampaign }] = await db.sequelize.query<{ id: number }>(
    "INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('backlog', 1000, 1000) RETURNING id",
    { type: QueryTypes.SELECT },
  ).then((r) => r as [{ id: number }]);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const acceptedAt = new Date().toISOString();
  for (let i = 0; i < BACKLOG; i += 5_000) {
    await producer.send({
      topic: backlogTopic,
      acks: -1,
      messages: Array.from({ length: Math.min(5_000, BACKLOG - i) }, (_, j) => ({
        key: String(backlogCampaign),
        // a tenth of the users come back, so duplicates and sold-outs are decided too
        value: encodeParticipation({ v: 1, requestId: `b-${i + j}`, campaignId: backlogCampaign, userId: ((i + j) % 10 === 9 ? i + j - 9 : i + j) + 1, acceptedAt }),
      })),
    });
  }
  await producer.disconnect();

  log('raw consume (kafkajs, JSON decode, no database)');
  const raw = kafka.consumer({ groupId: `${backlogTopic}-raw`, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 16 * 1024 * 1024, maxWaitTimeInMs: 100 });
  await raw.connect();
  await raw.subscribe({ topic: backlogTopic, fromBeginning: true });
  let seen = 0;
  let rawStart = 0;
  let rawEnd = 0;
  await raw.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      if (rawStart === 0) rawStart = performance.now();
      for (const m of batch.messages) if (m.value) JSON.parse(m.value.toString('utf8'));
      seen += batch.messages.length;
      if (seen >= BACKLOG && rawEnd === 0) rawEnd = performance.now();
      await Promise.resolve();
    },
  });
  await waitFor('raw consume', () => Promise.resolve(rawEnd > 0), 300_000);
  await raw.disconnect();
  const rawRate = (BACKLOG * 1000) / (rawEnd - rawStart);

  log('consumer: decide and commit the same backlog');
  const decider = await startTestConsumer(db.config, backlogTopic, { LOG_LEVEL: 'warn' });
  const offsetOf = async () =>
    (
      await db.sequelize.query<{ n: number }>('SELECT next_offset AS n FROM consumer_offsets WHERE topic = ?', { replacements: [backlogTopic], type: QueryTypes.SELECT })
    )[0]?.n ?? 0;
  let firstCommit = 0;
  let firstOffset = 0;
  await waitFor('first commit', async () => {
    const n = await offsetOf();
    if (n > 0) {
      firstCommit = performance.now();
      firstOffset = n;
    }
    return n > 0;
  }, 120_000);
  await waitFor('backlog decided', async () => (await offsetOf()) >= BACKLOG, 600_000);
  const decideMs = performance.now() - firstCommit;
  await decider.stop();
  const decidedRate = ((BACKLOG - firstOffset) * 1000) / decideMs;
  const [check] = await db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?', { replacements: [backlogCampaign], type: QueryTypes.SELECT });
  if (check?.n !== BACKLOG) throw new Error(`expected ${BACKLOG} decisions, found ${check?.n ?? 0}`);

  log('bulk insert of the same history rows, no Kafka, no decisions');
  const insertRate = await insertBaseline(backlogCampaign, BACKLOG);
  const baselines = [
    ['raw consume, no DB', rawRate],
    ['bulk insert of the same rows, 5,000 per transaction', insertRate],
  ] as const;
  for (const [baseline, rate] of baselines) {
    rows.push({
      figure: `consumer decisions/s (${fmt(BACKLOG)} backlog, committed)`,
      value: fmt(decidedRate),
      baseline,
      baselineValue: fmt(rate),
      ratio: fmt(decidedRate / rate, 2),
    });
  }
}

/**
 * The physical limit of storing decisions: the consumer's own history rows, re-inserted through
 * the same INSERT in transactions of the consumer's batch size, without Kafka or deciding.
 */
async function insertBaseline(fromCampaign: number, count: number): Promise<number> {
  const history = await db.sequelize.query<{ user_id: number; status: DecisionRow['status']; accepted_at: Date }>(
    'SELECT user_id, status, accepted_at FROM participations WHERE campaign_id = ? ORDER BY id LIMIT ?',
    { replacements: [fromCampaign, count], type: QueryTypes.SELECT },
  );
  const [{ id: copyCampaign }] = await db.sequelize.query<{ id: number }>(
    "INSERT INTO campaigns (name, total_stock, current_stock) VALUES ('insert-baseline', 1000, 1000) RETURNING id",
    { type: QueryTypes.SELECT },
  ).then((r) => r as [{ id: number }]);
  const store = new DecisionStore(db.sequelize);
  const now = new Date();
  const batch = 5_000;
  const started = performance.now();
  for (let i = 0; i < history.length; i += batch) {
    const chunk: DecisionRow[] = history.slice(i, i + batch).map((h, j) => ({
      requestId: `copy-${i + j}`,
      campaignId: copyCampaign,
      userId: h.user_id,
      status: h.status,
      partition: 0,
      offset: i + j,
      acceptedAt: h.accepted_at,
    }));
    await store.transaction((tx) => tx.insertDecisions(chunk, now));
  }
  return (history.length * 1000) / (performance.now() - started);
}

try {
  if (SECTIONS.has('http') || SECTIONS.has('open')) await benchHttp();
  if (SECTIONS.has('ratelimit')) await benchRateLimit();
  if (SECTIONS.has('consumer')) await benchConsumer();
  if (SECTIONS.has('stats')) {
    // a database of its own: the figures are about the generated history alone
    const statsDb = await createTestDatabase();
    try {
      const f = (statsFigures = await benchStats(statsDb, log));
      rows.push(
        {
          figure: `aggregation of one day (${fmt(f.oneDay.rows)} rows), s`,
          value: fmt(f.oneDay.seconds, 3),
          baseline: 'raw query of that day',
          baselineValue: fmt(f.oneDay.rawQuerySeconds, 3),
          ratio: fmt(f.oneDay.seconds / f.oneDay.rawQuerySeconds, 1),
        },
        {
          figure: `aggregation of ${f.seeded.days} days (${fmt(f.allDays.rows)} rows), s`,
          value: fmt(f.allDays.seconds, 3),
          baseline: 'one GROUP BY scan of all history',
          baselineValue: fmt(f.allDays.fullScanSeconds, 3),
          ratio: fmt(f.allDays.seconds / f.allDays.fullScanSeconds, 1),
        },
        {
          figure: 'daily-stats query p50 / p99 ms (aggregated)',
          value: `${fmt(f.daily.p50, 3)} / ${fmt(f.daily.p99, 3)}`,
          baseline: 'raw query p50 / p99 ms',
          baselineValue: `${fmt(f.raw.p50, 1)} / ${fmt(f.raw.p99, 1)}`,
          ratio: `raw/aggregated ${fmt(f.raw.p50 / f.daily.p50)}x`,
        },
      );
    } finally {
      await statsDb.drop();
    }
  }
  // not in the default sections: it seeds a day of 1,000,000 rows and wants a quiet machine
  if (SECTIONS.has('aggregation')) {
    const aggDb = await createTestDatabase();
    try {
      const f = await benchDeciderDuringAggregation(aggDb, log);
      const pace = (aggregating: boolean) => mean(f.phases.filter((p) => p.aggregating === aggregating), (p) => p.decisionsPerSec);
      const during = pace(true);
      const without = pace(false);
      rows.push({
        figure: `consumer decisions/s while a day of ${fmt(f.dayRows)} rows is aggregated (A/B/A/B: ${f.phases.map((p) => fmt(p.decisionsPerSec)).join(' / ')})`,
        value: fmt(during),
        baseline: 'same decider, same backlog, no aggregation',
        baselineValue: fmt(without),
        ratio: fmt(during / without, 2),
      });
    } finally {
      await aggDb.drop();
    }
  }
  // not in the default sections: it seeds BENCH_HISTORY_ROWS (10,000,000) rows and publishes a backlog of a million
  if (SECTIONS.has('backlog')) {
    const f = await benchBacklog(log);
    const floorName = 'floor: LOAD DATA of the same rows, primary key only, 5,000 per transaction';
    const [onEmpty] = f.drains;
    for (const d of f.drains) {
      const on = `${fmt(f.backlog)} backlog, history of ${fmt(d.historyRows)} rows`;
      rows.push(
        {
          figure: `decider decisions/s (${on}; drained in ${fmt(d.drainSeconds, 1)} s from the consumer's start)`,
          value: fmt(d.decisionsPerSec),
          baseline: floorName,
          baselineValue: fmt(f.floorRowsPerSec),
          ratio: fmt(d.decisionsPerSec / f.floorRowsPerSec, 2),
        },
        {
          figure: `MariaDB CPU-s per 1,000 decisions (${on}; consumer's own: ${fmt(d.consumerCpuSecPer1000, 3)})`,
          value: fmt(d.dbCpuSecPer1000, 3),
          baseline: 'MariaDB CPU-s per 1,000 rows, floor',
          baselineValue: fmt(f.floorCpuSecPer1000, 3),
          ratio: fmt(d.dbCpuSecPer1000 / f.floorCpuSecPer1000, 1),
        },
      );
      if (onEmpty !== undefined && d !== onEmpty) {
        rows.push({
          figure: `decider decisions/s, history of ${fmt(d.historyRows)} rows`,
          value: fmt(d.decisionsPerSec),
          baseline: 'same backlog, empty history',
          baselineValue: fmt(onEmpty.decisionsPerSec),
          ratio: fmt(d.decisionsPerSec / onEmpty.decisionsPerSec, 2),
        });
      }
    }
    backlogNote = [
      `\nBacklog: ${fmt(f.backlog)} entries (${f.requestIds} request ids) published in ${fmt(f.publishSeconds, 1)} s; floor runs ${f.floors.map((x) => fmt(x.rowsPerSec)).join(' / ')} rows/s.`,
      ...f.drains.map(
        (d) =>
          `History of ${fmt(d.historyRows)} rows${d.historyRows > 0 ? ` seeded in ${fmt(d.seedSeconds, 1)} s` : ''}: verdicts ${Object.entries(d.verdicts).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}; tables ${fmt(d.tableBytes / 2 ** 20)} MiB, MariaDB RSS after the drain ${fmt(d.dbRssBytes / 2 ** 20)} MiB.`,
      ),
      '',
    ].join('\n');
  }
} finally {
  await db.drop();
  await deleteTopics([ingestTopic, backlogTopic]);
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = [
  '| figure | value | baseline (same run) | baseline value | ratio |',
  '|---|---:|---|---:|---:|',
  ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.baseline} | ${r.baselineValue} | ${r.ratio} |`),
].join('\n');
const detail = [
  '| run | connections | 2xx/s | p50 ms | p95 ms | p99 ms | non-2xx | errors |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...loads.map((l) => `| ${l.label} | ${l.connections} | ${fmt(l.rps)} | ${fmt(l.p50, 1)} | ${fmt(l.p95, 1)} | ${fmt(l.p99, 1)} | ${l.non2xx} | ${l.errors} |`),
].join('\n');
const seeded = statsFigures
  ? `\nGenerated history: ${fmt(statsFigures.seeded.rows)} rows (${statsFigures.seeded.campaigns} campaigns x ${statsFigures.seeded.days} days) loaded in ${fmt(statsFigures.seeded.seconds, 1)} s.\n`
  : '';
const report = `Machine: ${machine}\nDuration per load run: ${DURATION}s; HTTP and open-model figures are the mean of ${ROUNDS} rounds, every side once per round, every other round in reverse order (A/B/B/A); ratio for latency rows is p99 / baseline p99.\n\n${table}\n${loads.length > 0 ? `\n${detail}\n` : ''}${seeded}${backlogNote}`;
process.stdout.write(`\n${report}`);
mkdirSync('.local/bench', { recursive: true });
writeFileSync('.local/bench/latest.md', report);
log('written to .local/bench/latest.md');
