import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
const script = (name: string) => path.join(repoRoot, 'scripts/local-cluster', name);

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; stderr streams through so that a long step shows progress. */
export async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (process.env.E2E_VERBOSE === '1') process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    // a command that reads no input may exit before its stdin is closed: that EPIPE is no failure of it
    child.stdin.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(err);
    });
    child.stdin.end(input ?? '');
  });
}

export async function mustRun(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, input?: string): Promise<string> {
  const result = await run(command, args, env, input);
  if (result.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed (${result.status}):\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

function parseAssignments(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1).replace(/^'(.*)'$/, '$1'));
  }
  return vars;
}

export interface ClusterEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly kubeconfig: string;
  readonly kubectl: string;
  readonly nodeIp: string;
  readonly apiUrl: string;
  readonly kafkaBrokers: string;
  readonly db: { host: string; port: number; user: string; password: string; name: string };
}

/** The scripts' environment for a cluster of the test's own directory. */
export function clusterProcessEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, LOCAL_CLUSTER_DIR: dir };
}

export const cluster = {
  up: (env: NodeJS.ProcessEnv) => mustRun(script('cluster.sh'), ['up'], env),
  down: (env: NodeJS.ProcessEnv) => run(script('cluster.sh'), ['down'], env),
  depsUp: (env: NodeJS.ProcessEnv) => mustRun(script('deps.sh'), ['up'], env),
  depsDown: (env: NodeJS.ProcessEnv) => run(script('deps.sh'), ['down'], env),
  image: async (env: NodeJS.ProcessEnv) => (await mustRun(script('release.sh'), ['image'], env)).trim(),
  k6Image: async (env: NodeJS.ProcessEnv) => (await mustRun(script('release.sh'), ['k6-image'], env)).trim(),
  async describe(env: NodeJS.ProcessEnv): Promise<ClusterEnv> {
    const c = parseAssignments(await mustRun(script('cluster.sh'), ['env'], env));
    const d = parseAssignments(await mustRun(script('deps.sh'), ['env'], env));
    const get = (m: Map<string, string>, k: string) => {
      const v = m.get(k);
      if (v === undefined) throw new Error(`no ${k} in the scripts' env output`);
      return v;
    };
    const kubeconfig = get(c, 'KUBECONFIG');
    return {
      env: { ...env, KUBECONFIG: kubeconfig },
      kubeconfig,
      kubectl: path.join(get(c, 'CLUSTER_BIN'), 'kubectl'),
      nodeIp: get(c, 'CLUSTER_NODE_IP'),
      apiUrl: `http://${get(c, 'CLUSTER_NODE_IP')}:${get(c, 'CLUSTER_API_NODE_PORT')}`,
      kafkaBrokers: get(d, 'KAFKA_BROKERS'),
      db: { host: get(d, 'DB_HOST'), port: Number(get(d, 'DB_PORT')), user: get(d, 'DB_USER'), password: get(d, 'DB_PASSWORD'), name: get(d, 'DB_NAME') },
    };
  },
};

export function sysctls(keys: readonly string[]): Record<string, string> {
  const result = spawnSync('sysctl', ['-n', ...keys], { encoding: 'utf8' });
  const values = result.stdout.trim().split('\n');
  return Object.fromEntries(keys.map((k, i) => [k, values[i] ?? '']));
}

export interface Reply {
  readonly status: number;
  readonly body: { success?: boolean; errorCode?: string; data?: Record<string, unknown> };
}

/**
 * One request on a connection of its own. A kept-alive connection stays pinned to the pod it was
 * opened to, which is not what a rollout through a Service is about; a fresh one is routed to a
 * current endpoint, as a new client would be.
 */
export function call(url: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Reply> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = {};
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? (payload === undefined ? 'GET' : 'POST'), headers, agent: false, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Reply['body'] });
        } catch {
          reject(new Error(`${res.statusCode ?? 0} from ${url} is not JSON: ${text.slice(0, 200)}`));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with the last observation. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${last instanceof Error ? last.message : JSON.stringify(last)}`}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
