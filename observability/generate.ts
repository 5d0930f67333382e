import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationsDashboard } from './dashboards/operations.js';
import { overviewDashboard } from './dashboards/overview.js';

/**
 * Writes what the chart carries from this folder: the dashboards as JSON and the alert rules.
 * `--check` writes nothing and fails when a committed file differs from what would be written.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chart = join(root, 'charts', 'fcfs-campaign');

export function generatedFiles(): Map<string, string> {
  return new Map([
    [join(chart, 'dashboards', 'overview.json'), `${JSON.stringify(overviewDashboard(), null, 2)}\n`],
    [join(chart, 'dashboards', 'operations.json'), `${JSON.stringify(operationsDashboard(), null, 2)}\n`],
    [join(chart, 'rules', 'alerts.yml'), readFileSync(join(root, 'observability', 'alerts.yml'), 'utf8')],
  ]);
}

function main(check: boolean): number {
  const stale: string[] = [];
  for (const [path, content] of generatedFiles()) {
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale.push(path);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      console.log(`wrote ${path}`);
    }
  }
  if (stale.length > 0) {
    console.error(`out of date (run make observability):\n  ${stale.join('\n  ')}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.includes('--check'));
