import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LOADTEST_DIR = resolve(import.meta.dirname, '../loadtest');

let k6Binary: Promise<string> | undefined;

/** The k6 binary, built once per machine by scripts/install-k6.sh (K6_BIN overrides). */
export function k6Path(): Promise<string> {
  k6Binary ??= process.env.K6_BIN
    ? Promise.resolve(process.env.K6_BIN)
    : run(resolve(import.meta.dirname, '../scripts/install-k6.sh'), [], { maxBuffer: 1024 * 1024 }).then(({ stdout }) => stdout.trim());
  return k6Binary;
}

export async function k6Version(): Promise<string> {
  const { stdout } = await run(await k6Path(), ['version']);
  return stdout.trim().split('\n')[0] ?? 'unknown';
}

export interface MetricValues {
  [stat: string]: number;
}

/** The parts of k6's handleSummary data the callers read. */
export interface K6Summary {
  metrics: Record<string, { values: MetricValues; thresholds?: Record<string, { ok: boolean }> } | undefined>;
  setup_data?: { campaignId: number; runId: string };
}

export interface K6Run {
  exitCode: number;
  summary: K6Summary;
  output: string;
}

export type K6Script = 'participate-open' | 'participate-closed' | 'rush' | 'verify' | 'bulk';

/**
 * Runs one script of loadtest/ to completion; env are its k6 variables (BASE_URL, RATE, ...).
 * Exit code 99 means a threshold failed; the summary is read either way.
 */
export async function runK6(script: K6Script, env: Record<string, string | number>): Promise<K6Run> {
  const dir = mkdtempSync(join(tmpdir(), 'k6-'));
  const summaryFile = join(dir, 'summary.json');
  const args = ['run', '--quiet', '--no-color', '--no-usage-report'];
  for (const [k, v] of Object.entries({ ...env, SUMMARY_FILE: summaryFile })) args.push('-e', `${k}=${v}`);
  args.push(join(LOADTEST_DIR, `${script}.ts`));
  const binary = await k6Path();
  try {
    const { code, output } = await new Promise<{ code: number; output: string }>((done, failed) => {
      const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      child.on('error', failed);
      child.on('close', (c) => done({ code: c ?? -1, output }));
    });
    let summary: K6Summary;
    try {
      summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as K6Summary;
    } catch {
      throw new Error(`k6 ${script} wrote no summary (exit ${code}):\n${output.slice(-3000)}`);
    }
    return { exitCode: code, summary, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function metric(summary: K6Summary, name: string, stat = 'count'): number {
  return summary.metrics[name]?.values[stat] ?? 0;
}

/** Requests the run saw accepted (202) or answered (200): verify must find each of them decided. */
export function acknowledged(summary: K6Summary): number {
  return ['outcome_accepted', 'outcome_success', 'outcome_sold_out', 'outcome_duplicate'].reduce((n, m) => n + metric(summary, m), 0);
}

export interface LoadAndVerify {
  load: K6Run;
  verify: K6Run;
  campaignId: number;
}

/**
 * A load script, then verify over every request it sent. `env` goes to the load script (it must
 * hold BASE_URL and ADMIN_TOKEN, which verify gets too); `verifyEnv` to verify alone. The campaign
 * and run id are the ones the script chose in setup(), which every VU must have used. Throws when
 * the run sent nothing or left no setup data; judging both runs is the caller's.
 */
export async function loadThenVerify(script: K6Script, env: Record<string, string | number>, verifyEnv: Record<string, string | number> = {}): Promise<LoadAndVerify> {
  const load = await runK6(script, env);
  const issued = metric(load.summary, 'iterations');
  const { campaignId, runId } = load.summary.setup_data ?? {};
  if (issued === 0 || campaignId === undefined || runId === undefined) {
    throw new Error(`k6 ${script} sent no request or left no setup data (exit ${load.exitCode}):\n${load.output.slice(-2000)}`);
  }
  const verify = await runK6('verify', {
    BASE_URL: env.BASE_URL ?? '',
    ADMIN_TOKEN: env.ADMIN_TOKEN ?? '',
    ...verifyEnv,
    RUN_ID: runId,
    CAMPAIGN_ID: campaignId,
    ISSUED: issued,
    ACKNOWLEDGED: acknowledged(load.summary),
  });
  return { load, verify, campaignId };
}
