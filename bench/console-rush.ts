/**
 * The operator console during a rush: the same wrk load on the Kafka path twice, once with no
 * page open and once with the live view open in headless Chromium. Reports what the page saw
 * (how often it updated, how long its status reads took) and what it cost the api (throughput,
 * latency, CPU). Run with `make bench-console`; not part of `make test`.
 */
import { fmt, percentiles } from '../experiments/report.js';
import { launchChromium } from '../test/integration/support/browser.js';
import { startTestConsumer } from '../test/integration/support/consumer.js';
import { createTestDatabase } from '../test/integration/support/database.js';
import { deleteTopics, uniqueTopic } from '../test/integration/support/kafka.js';
import { waitFor } from '../test/integration/support/process.js';
import { spawnBenchApi } from './api.js';
import { runLoad, type LoadResult } from './load.js';
import { treeCpuSec, treeRssBytes } from './proc-cpu.js';

const DURATION = Number(process.env.BENCH_DURATION_SEC ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const STOCK = Number(process.env.BENCH_RUSH_STOCK ?? 30_000);

const TOKEN = 'bench-console-admin-token';
const log = (msg: string) => process.stderr.write(`[bench-console] ${msg}\n`);

interface PageFigures {
  updatesPerSec: number;
  maxGapMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  browserCpuSec: number;
  shownAtEnd: string;
  statusAtEnd: string;
}

interface Run {
  label: string;
  load: LoadResult;
  apiCpuSec: number;
  apiRssMiB: number;
  page?: PageFigures;
}

const db = await createTestDatabase();
const topic = uniqueTopic('bench-console');
// the console signs in with a token as in production; the limiter stays off (wrk is one address)
const { port, api } = await spawnBenchApi(db.config, topic, { ADMIN_AUTH: 'token', ADMIN_TOKEN: TOKEN });
const base = `http://127.0.0.1:${port}`;
const apiPid = api.child.pid ?? 0;
const consumer = await startTestConsumer(db.config, topic, { LOG_LEVEL: 'warn' });
const browser = await launchChromium();

async function createCampaign(): Promise<number> {
  const res = await fetch(`${base}/api/admin/campaigns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ name: 'rush', totalStock: STOCK }),
  });
  return ((await res.json()) as { data: { id: number } }).data.id;
}

async function status(id: number): Promise<{ currentStock: number; successCount: number; pending: number; totalParticipation: number }> {
  return ((await (await fetch(`${base}/api/campaigns/${id}/status`)).json()) as { data: { currentStock: number; successCount: number; pending: number; totalParticipation: number } }).data;
}

async function rush(label: string, withPage: boolean): Promise<Run> {
  const id = await createCampaign();
  const url = `${base}/api/campaigns/${id}/participation`;
  const context = withPage ? await browser.newContext({ viewport: { width: 1280, height: 900 } }) : undefined;
  const reads: { at: number; ms: number }[] = [];
  const span = { from: 0, to: 0 };
  if (context) {
    // As if the operator had entered the token earlier in this tab.
    await context.addInitScript(`sessionStorage.setItem('fcfs-console-admin-token', ${JSON.stringify(TOKEN)})`);
    const page = await context.newPage();
    page.on('requestfinished', (req) => {
      if (!req.url().endsWith(`/api/campaigns/${id}/status`)) return;
      const t = req.timing();
      reads.push({ at: Date.now(), ms: t.responseEnd - t.requestStart });
    });
    await page.goto(`${base}/console/#/campaigns/${id}`);
    await page.locator('[data-key="remaining"]').waitFor();
  }
  const cpuBefore = treeCpuSec(apiPid);
  const browserBefore = treeCpuSec(process.pid, (s) => s.comm.startsWith('chromium'));
  log(`${label}: wrk, ${CONNECTIONS} connections, ${DURATION}s`);
  span.from = Date.now();
  const load = await runLoad(label, url, CONNECTIONS, DURATION);
  span.to = Date.now();
  const apiCpuSec = treeCpuSec(apiPid) - cpuBefore;
  const run: Run = { label, load, apiCpuSec, apiRssMiB: treeRssBytes(apiPid) / 2 ** 20 };
  if (context) {
    const page = context.pages()[0];
    const browserCpuSec = treeCpuSec(process.pid, (s) => s.comm.startsWith('chromium')) - browserBefore;
    await waitFor('the log decided', async () => (await status(id)).pending === 0, 120_000);
    const final = await status(id);
    const expected = `${fmt(final.currentStock)} of ${fmt(STOCK)}`;
    await waitFor('the page showing the final stock', async () => (await page?.locator('[data-key="remaining"] dd').textContent()) === expected, 10_000).catch(() => undefined);
    const during = reads.filter((r) => r.at >= span.from && r.at <= span.to);
    const gaps = during.slice(1).map((r, i) => r.at - (during[i]?.at ?? r.at));
    const [p50Ms = Number.NaN, p99Ms = Number.NaN] = percentiles(during.map((r) => r.ms), [50, 99]);
    run.page = {
      updatesPerSec: during.length / ((span.to - span.from) / 1000),
      maxGapMs: Math.max(0, ...gaps),
      p50Ms,
      p99Ms,
      maxMs: Math.max(0, ...during.map((r) => r.ms)),
      browserCpuSec,
      shownAtEnd: (await page?.locator('[data-key="remaining"] dd').textContent()) ?? '',
      statusAtEnd: expected,
    };
    await context.close();
  }
  return run;
}

try {
  await waitFor('api ready', async () => (await fetch(`${base}/readyz`)).status === 200, 60_000);
  log('warm-up');
  await runLoad('warm-up', `${base}/api/campaigns/${await createCampaign()}/participation`, CONNECTIONS, 3);
  const runs = [await rush('no page open', false), await rush('live view open', true), await rush('no page open (again)', false)];

  console.log(`\n## The console during a rush (stock ${fmt(STOCK)}, ${CONNECTIONS} connections, ${DURATION} s, API_WORKERS=${process.env.BENCH_API_WORKERS ?? '2'})\n`);
  console.log('| run | accepted+answered req/s | p50 / p99 ms | api CPU s (per s of load) | api RSS MiB |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of runs) {
    console.log(`| ${r.label} | ${fmt(r.load.rps)} | ${fmt(r.load.p50, 1)} / ${fmt(r.load.p99, 1)} | ${fmt(r.apiCpuSec, 1)} (${fmt(r.apiCpuSec / DURATION, 2)}) | ${fmt(r.apiRssMiB)} |`);
  }
  const page = runs.find((r) => r.page)?.page;
  if (page) {
    console.log('\n| live view during the rush | value |');
    console.log('|---|---:|');
    console.log(`| status reads per second | ${fmt(page.updatesPerSec, 2)} |`);
    console.log(`| longest gap between two reads, ms | ${fmt(page.maxGapMs)} |`);
    console.log(`| status read p50 / p99 / max, ms | ${fmt(page.p50Ms, 1)} / ${fmt(page.p99Ms, 1)} / ${fmt(page.maxMs, 1)} |`);
    console.log(`| Chromium CPU s during the run | ${fmt(page.browserCpuSec, 1)} |`);
    console.log(`| remaining stock shown after the rush / reported by the API | ${page.shownAtEnd} / ${page.statusAtEnd} |`);
  }
} finally {
  await browser.close();
  await consumer.stop();
  api.child.kill('SIGTERM');
  await api.exited();
  await db.drop();
  await deleteTopics([topic]);
}
