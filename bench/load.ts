import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadResult {
  label: string;
  connections: number;
  /** 2xx responses per second over the measured window. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

const THREADS = 2;
let userBase = 0;

/** wrk with keep-alive connections; every request carries a fresh userId, and with `requestId` its own requestId (bench/participate.lua). */
export async function runLoad(label: string, url: string, connections: number, durationSec: number, options: { requestId?: boolean } = {}): Promise<LoadResult> {
  // users never repeat across runs, so no run measures the duplicate path by accident
  userBase += 100_000_000;
  const { stdout } = await run('wrk', ['-t', String(THREADS), '-c', String(connections), '-d', `${durationSec}s`, '--timeout', '10s', '-s', 'bench/participate.lua', url], {
    env: { ...process.env, WRK_THREADS: String(THREADS), WRK_USER_BASE: String(userBase / THREADS), WRK_REQUEST_ID: options.requestId ? '1' : '0' },
    maxBuffer: 1024 * 1024,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const [requests = 0, durationUs = 1, non2xx = 0, errors = 0, p50 = 0, p95 = 0, p99 = 0] = line.slice(7).split(' ').map(Number);
  return {
    label,
    connections,
    rps: ((requests - non2xx) * 1e6) / durationUs,
    p50: p50 / 1000,
    p95: p95 / 1000,
    p99: p99 / 1000,
    non2xx,
    errors,
  };
}
