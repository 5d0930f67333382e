// Shared by every k6 script: configuration from k6 env vars (__ENV), the participation call and its
// outcome counters, thresholds and the JSON summary. Runs inside k6, not Node.
import { check, fail } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter, Trend } from 'k6/metrics';

/** `noop` is the api's bench route (BENCH_NOOP_ROUTE=true): the HTTP baseline of `make bench`. */
export type Path = 'kafka' | 'sync' | 'noop';

function str(name: string, fallback?: string): string {
  const v = __ENV[name];
  if (v !== undefined && v !== '') return v;
  if (fallback === undefined) throw new Error(`${name} is required`);
  return fallback;
}

/** A non-negative number from __ENV (the fallback when unset or empty); anything else stops the script. */
export function num(name: string, fallback: number): number {
  const raw = str(name, String(fallback));
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return n;
}

/** Everything a script reads from the environment, validated once in the init context. */
export const env = {
  /** The API's base URL, e.g. http://fcfs-api.ns.svc.cluster.local:8080 in a cluster. */
  baseUrl: str('BASE_URL', 'http://127.0.0.1:8080').replace(/\/+$/, ''),
  adminToken: __ENV.ADMIN_TOKEN ?? '',
  path: ((): Path => {
    const p = str('PARTICIPATION_PATH', 'kafka');
    if (p !== 'kafka' && p !== 'sync' && p !== 'noop') throw new Error(`PARTICIPATION_PATH must be kafka, sync or noop, got '${p}'`);
    return p;
  })(),
  /** Campaign to load; 0 creates one with STOCK in setup(). */
  campaignId: num('CAMPAIGN_ID', 0),
  stock: num('STOCK', 100),
  rate: num('RATE', 200),
  peakRate: num('PEAK_RATE', 10_000),
  vus: num('VUS', 50),
  maxVus: num('MAX_VUS', 500),
  /** VUs started before the load: k6 drops arrivals while it starts more, so start enough. */
  preVus: num('PRE_VUS', 0),
  duration: str('DURATION', '10s'),
  /** Users are USER_BASE + (iteration % USER_POOL): a pool smaller than the requests sends repeats. */
  userBase: num('USER_BASE', 1),
  userPool: num('USER_POOL', 0),
  /** Prefix of every client request id, so verify can look each request up afterwards; empty: setup() picks one. */
  runId: __ENV.RUN_ID ?? '',
  summaryFile: str('SUMMARY_FILE', 'summary.json'),
  /** `off`: the load scripts set no threshold at all, for runs that measure and judge nothing. */
  thresholds: ((): boolean => {
    const t = str('THRESHOLDS', 'on');
    if (t !== 'on' && t !== 'off') throw new Error(`THRESHOLDS must be on or off, got '${t}'`);
    return t === 'on';
  })(),
  p99Ms: num('P99_MS', 2_000),
  maxErrorRate: num('MAX_ERROR_RATE', 0.01),
};

/** Enough VUs up front for answers of about 250 ms at this rate, unless PRE_VUS says. */
export function preAllocatedVUs(rate: number): number {
  return Math.min(env.maxVus, env.preVus > 0 ? env.preVus : Math.max(10, Math.ceil(rate / 4)));
}

export function adminHeaders(): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (env.adminToken !== '') h.authorization = `Bearer ${env.adminToken}`;
  return h;
}

interface Envelope<T> {
  success: boolean;
  errorCode?: string;
  data: T;
}

export function body<T>(res: RefinedResponse<ResponseType | undefined>): Envelope<T> {
  if (typeof res.body !== 'string') fail(`${res.request.method} ${res.url}: no body (status ${res.status}, ${res.error})`);
  return JSON.parse(res.body) as Envelope<T>;
}

export interface RunData {
  campaignId: number;
  /** Chosen once in setup(): each VU runs the init code at its own moment. */
  runId: string;
  startedAt: string;
}

/** setup(): the campaign under load (created unless CAMPAIGN_ID names one). */
export function prepareCampaign(name: string): RunData {
  let campaignId = env.campaignId;
  if (campaignId === 0) {
    const res = http.post(`${env.baseUrl}/api/admin/campaigns`, JSON.stringify({ name, totalStock: env.stock }), { headers: adminHeaders() });
    if (res.status !== 201) fail(`creating the campaign answered ${res.status}: ${typeof res.body === 'string' ? res.body : ''}`);
    campaignId = body<{ id: number }>(res).data.id;
  }
  return { campaignId, runId: env.runId === '' ? `run-${Date.now()}` : env.runId, startedAt: new Date().toISOString() };
}

// One counter per outcome, so a summary tells accepted from answered from refused.
export const outcomes = {
  accepted: new Counter('outcome_accepted'),
  success: new Counter('outcome_success'),
  soldOut: new Counter('outcome_sold_out'),
  duplicate: new Counter('outcome_duplicate'),
  rateLimited: new Counter('outcome_rate_limited'),
  unavailable: new Counter('outcome_unavailable'),
  unexpected: new Counter('outcome_unexpected'),
};
const answered = new Trend('participation_answered', true);

export function requestIdOf(runId: string, iteration: number): string {
  return `${runId}-${iteration}`;
}

/** One participation, numbered by its iteration in the whole test (unique across VUs). */
export function participate(data: RunData, path: Path = env.path): void {
  const iteration = exec.scenario.iterationInTest;
  const userId = env.userBase + (env.userPool > 0 ? iteration % env.userPool : iteration);
  const routes: Record<Path, string> = {
    kafka: `/api/campaigns/${data.campaignId}/participation`,
    sync: `/api/campaigns/${data.campaignId}/participation-sync`,
    noop: '/api/bench/noop',
  };
  const res = http.post(
    `${env.baseUrl}${routes[path]}`,
    JSON.stringify({ userId, requestId: requestIdOf(data.runId, iteration) }),
    // 429 and 503 are outcomes of their own, counted below, not transport failures
    { headers: { 'content-type': 'application/json' }, tags: { path }, responseCallback: http.expectedStatuses(200, 202, 429, 503) },
  );
  answered.add(res.timings.duration, { path });
  let status = '';
  if (res.status === 200 || res.status === 202) status = body<{ status: string }>(res).data.status;
  if (res.status === 202) outcomes.accepted.add(1);
  else if (res.status === 429) outcomes.rateLimited.add(1);
  else if (res.status === 503) outcomes.unavailable.add(1);
  else if (status === 'SUCCESS') outcomes.success.add(1);
  else if (status === 'SOLD_OUT') outcomes.soldOut.add(1);
  else if (status === 'DUPLICATE') outcomes.duplicate.add(1);
  else outcomes.unexpected.add(1);
  check(res, { 'answered with a known outcome': (r) => [200, 202, 429, 503].includes(r.status) });
}

/** The failure criteria every load script shares: few errors, bounded tail latency; none with THRESHOLDS=off. */
export function thresholds(): Record<string, string[]> {
  if (!env.thresholds) return {};
  return {
    http_req_failed: [`rate<=${env.maxErrorRate}`],
    checks: ['rate>=0.99'],
    outcome_unexpected: ['count==0'],
    participation_answered: [`p(99)<${env.p99Ms}`],
  };
}

/** Percentiles every summary carries (k6's default stops at p(95)). */
export const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** handleSummary(): the whole run as JSON at SUMMARY_FILE, one line on stdout (SUMMARY_FILE=stdout: only the JSON, on stdout). */
export function summarize(data: Record<string, unknown>): Record<string, string> {
  const metrics = data.metrics as Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  const failed = Object.entries(metrics).flatMap(([name, m]) =>
    Object.entries(m.thresholds ?? {})
      .filter(([, t]) => !t.ok)
      .map(([expr]) => `${name}: ${expr}`),
  );
  const reqs = metrics.http_reqs?.values.count ?? 0;
  // `stdout`: the JSON alone on stdout, for a Job whose log is its result
  if (env.summaryFile === 'stdout') return { stdout: `${JSON.stringify(data)}\n` };
  const line = `${reqs} requests, thresholds ${failed.length === 0 ? 'passed' : `FAILED (${failed.join('; ')})`}; summary: ${env.summaryFile}\n`;
  return { [env.summaryFile]: JSON.stringify(data, null, 2), stdout: line };
}
