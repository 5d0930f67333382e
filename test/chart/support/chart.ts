import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The chart under test and the tools that render and check it (built once, cached outside the repo). */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const chartDir = path.join(repoRoot, 'charts/fcfs-campaign');
export const valuesDir = path.join(repoRoot, 'test/chart/values');

export interface ChartTools {
  readonly helm: string;
  readonly kubeconform: string;
  readonly schemaLocations: readonly string[];
  readonly python: string;
}

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], input?: string): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function installChartTools(): ChartTools {
  const result = run(path.join(repoRoot, 'scripts/chart-tools.sh'), []);
  if (result.status !== 0) throw new Error(`scripts/chart-tools.sh failed:\n${result.stderr}`);
  const vars = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const get = (name: string): string => {
    const value = vars.get(name);
    if (value === undefined) throw new Error(`scripts/chart-tools.sh printed no ${name}`);
    return value;
  };
  return {
    helm: get('HELM'),
    kubeconform: get('KUBECONFORM'),
    schemaLocations: [get('SCHEMA_LOCATION_K8S'), get('SCHEMA_LOCATION_CRDS')],
    python: get('PYTHON'),
  };
}

/** What the tests check on the Kubernetes version the chart targets. */
export const KUBE_VERSION = '1.34.0';

export interface TemplateOptions {
  /** Further helm arguments. */
  readonly args?: readonly string[];
  /** The release name; fcfs unless given. */
  readonly release?: string;
}

/**
 * The chart refuses to render without database.password or database.existingSecret: every render
 * here passes a password first, which a value file or a later --set may replace or empty.
 */
export const DATABASE_PASSWORD_SET = 'database.password=chart-test-password';

function valueArgs(valueFiles: readonly string[], sets: readonly string[]): string[] {
  const args: string[] = ['--set', DATABASE_PASSWORD_SET];
  for (const f of valueFiles) args.push('-f', path.join(valuesDir, f));
  for (const s of sets) args.push('--set', s);
  return args;
}

export function template(tools: ChartTools, valueFiles: readonly string[], sets: readonly string[] = [], options: TemplateOptions = {}): Run {
  const args = ['template', options.release ?? 'fcfs', chartDir, '--namespace', 'campaign', '--kube-version', KUBE_VERSION, ...(options.args ?? [])];
  return run(tools.helm, [...args, ...valueArgs(valueFiles, sets)]);
}

export interface DryRun extends Run {
  /** The rendered objects, hooks included, as multi-document YAML. */
  readonly manifests: string;
  readonly notes: string;
}

/** Just enough of the discovery API for helm to learn the server's version; it serves no other API. */
function discoveryServer(): Promise<Server> {
  const [major, minor] = KUBE_VERSION.split('.');
  const answers: Record<string, unknown> = {
    '/version': { major, minor, gitVersion: `v${KUBE_VERSION}` },
    '/api': { kind: 'APIVersions', versions: ['v1'] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
    '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [] },
  };
  const server = createServer((req, res) => {
    const answer = answers[(req.url ?? '').split('?')[0] ?? ''];
    res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer ?? { kind: 'Status', code: 404 }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function runAsync(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * `helm install --dry-run` (revision 1) or `helm upgrade --dry-run` of a release at `revision`,
 * without a cluster: helm's in-memory release store holds a deployed previous revision, and a
 * local server answers the version discovery an install or upgrade asks for. This is how a test
 * sees NOTES.txt and what a later revision renders, which `helm template` cannot show.
 */
export async function dryRun(tools: ChartTools, revision: number, valueFiles: readonly string[], sets: readonly string[] = []): Promise<DryRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fcfs-chart-'));
  const server = await discoveryServer();
  try {
    const { port } = server.address() as AddressInfo;
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'discovery', cluster: { server: `http://127.0.0.1:${port}` } }],
      contexts: [{ name: 'discovery', context: { cluster: 'discovery', namespace: 'campaign' } }],
      'current-context': 'discovery',
    }));
    const releases = path.join(dir, 'releases.json');
    const previous = { name: 'fcfs', namespace: 'campaign', version: revision - 1, info: { status: 'deployed' }, chart: { metadata: { name: 'fcfs-campaign', version: '0.0.0' } }, config: {}, manifest: '' };
    writeFileSync(releases, JSON.stringify(revision > 1 ? [previous] : []));
    const command = revision > 1 ? 'upgrade' : 'install';
    const env = { ...process.env, KUBECONFIG: kubeconfig, HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: releases };
    const result = await runAsync(tools.helm, [command, 'fcfs', chartDir, '--namespace', 'campaign', '--dry-run', ...valueArgs(valueFiles, sets)], env);
    // helm prints NAME, STATUS and the like, then HOOKS: and MANIFEST: (each a run of documents), then NOTES:
    const notesAt = result.stdout.indexOf('\nNOTES:\n');
    const body = notesAt < 0 ? result.stdout : result.stdout.slice(0, notesAt);
    const firstDocument = body.indexOf('\n---\n');
    const manifests = firstDocument < 0 ? '' : body.slice(firstDocument + 1).replace(/^(HOOKS|MANIFEST):$/gm, '---');
    return { ...result, manifests, notes: notesAt < 0 ? '' : result.stdout.slice(notesAt + '\nNOTES:\n'.length) };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Parses rendered multi-document YAML (through PyYAML: the project has no YAML parser of its own). */
export function parseManifests(tools: ChartTools, yaml: string): KubeObject[] {
  const script = 'import json, sys, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)';
  const result = run(tools.python, ['-c', script], yaml);
  if (result.status !== 0) throw new Error(`rendered YAML does not parse:\n${result.stderr}`);
  return JSON.parse(result.stdout) as KubeObject[];
}

export interface Conformance {
  readonly valid: number;
  readonly invalid: number;
  readonly errors: number;
  readonly skipped: number;
  readonly report: string;
}

/** kubeconform, strict, offline: the Kubernetes schemas and the shared CRDs, nothing skipped. */
export function conform(tools: ChartTools, yaml: string): Conformance {
  const args = ['-strict', '-summary', '-output', 'json', '-kubernetes-version', KUBE_VERSION];
  for (const location of tools.schemaLocations) args.push('-schema-location', location);
  args.push('-');
  const result = run(tools.kubeconform, args, yaml);
  const parsed = JSON.parse(result.stdout) as { summary: { valid: number; invalid: number; errors: number; skipped: number } };
  return { ...parsed.summary, report: result.stdout };
}
