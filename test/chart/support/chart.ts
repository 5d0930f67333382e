import { spawnSync } from 'node:child_process';
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

export function template(tools: ChartTools, valueFiles: readonly string[], sets: readonly string[] = [], extraArgs: readonly string[] = []): Run {
  const args = ['template', 'fcfs', chartDir, '--namespace', 'campaign', '--kube-version', KUBE_VERSION, ...extraArgs];
  for (const f of valueFiles) args.push('-f', path.join(valuesDir, f));
  for (const s of sets) args.push('--set', s);
  return run(tools.helm, args);
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
