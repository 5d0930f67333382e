import path from 'node:path';
import { Watch } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { QueryTypes } from 'sequelize';
import { percentiles } from '../experiments/report.js';
import { counterUpdate } from '../services/db/campaign-counters.js';
import { createSequelize } from '../services/db/sequelize.js';
import { createKubeClients } from '../services/platform/k8s/clients.js';
import { createLogger } from '../services/platform/logger.js';
import { loadOperatorConfig } from '../services/operator/config.js';
import { createOperatorMetrics } from '../services/operator/metrics.js';
import { startOperator } from '../services/operator/operator.js';
import { startControlPlane } from '../test/integration/support/control-plane.js';
import { createTestDatabase } from '../test/integration/support/database.js';
import { waitFor } from '../test/integration/support/process.js';

// `make bench-operator`: status latency and API-server load of the Campaign controller with
// CAMPAIGNS Open campaigns whose counters move (the consumer's own UPDATE), against a real
// kube-apiserver and MariaDB. Latency: from the counter commit to the watch event carrying it.

const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 100);
const SECONDS = Number(process.env.BENCH_DURATION_SEC ?? 30);
const UPDATES_PER_SEC = Number(process.env.BENCH_UPDATES_PER_SEC ?? 50);
const log = (msg: string) => process.stderr.write(`[bench-operator] ${msg}\n`);

const repoRoot = path.resolve(import.meta.dirname, '..');
const cp = await startControlPlane(path.join(repoRoot, `.local/bench-control-plane-${process.pid}`));
const db = await createTestDatabase();
const logger = createLogger('bench-operator', 'warn');
const registry = new Registry();
const metrics = createOperatorMetrics(registry);
const clients = createKubeClients(cp.kubeconfig);
const operatorDb = createSequelize({ ...db.config, DB_POOL_MAX: 5 });
const kubeRequests = async () => (await metrics.kubeRequests.get()).values.reduce((n, v) => n + v.value, 0);
try {
  await cp.kubectl(['apply', '-f', path.join(repoRoot, 'charts/fcfs-campaign/crds/campaigns.fcfs.dev.yaml')]);
  await cp.kubectl(['wait', '--for=condition=Established', 'crd/campaigns.fcfs.dev', '--timeout=60s']);
  await waitFor('campaigns in discovery', async () => (await cp.kubectlResult(['get', 'campaigns'])).status === 0);
  const config = loadOperatorConfig({ ...process.env, OPERATOR_NAMESPACE: 'default', OPERATOR_LEASE_DURATION_S: '15', OPERATOR_RENEW_PERIOD_MS: '2000' });
  const operator = startOperator(config, 'bench', { clients, sequelize: operatorDb, logger, metrics });

  const t0 = Date.now();
  const objects = Array.from({ length: CAMPAIGNS }, (_, i) => ({ apiVersion: 'fcfs.dev/v1alpha1', kind: 'Campaign', metadata: { name: `bench-${i}` }, spec: { displayName: `bench ${i}`, totalStock: 1_000_000 } }));
  await cp.kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  const ids = new Map<string, number>();
  await waitFor(`${CAMPAIGNS} campaigns Open`, async () => {
    const list = JSON.parse(await cp.kubectl(['get', 'campaigns', '-o', 'json'])) as { items: { metadata: { name: string }; status?: { phase?: string; campaignId?: number } }[] };
    for (const c of list.items) if (c.status?.phase === 'Open' && c.status.campaignId) ids.set(c.metadata.name, c.status.campaignId);
    return ids.size === CAMPAIGNS;
  }, 300_000, 250);
  log(`${CAMPAIGNS} campaigns created and Open in ${Date.now() - t0} ms`);

  // Latency: a watch of our own sees each status change; a change is matched to the commit that caused it by its winners count.
  const committed = new Map<string, { winners: number; at: number }[]>();
  const latencies: number[] = [];
  const watch = new Watch(clients.config);
  const req = await watch.watch('/apis/fcfs.dev/v1alpha1/namespaces/default/campaigns', {}, (_type, obj: { metadata: { name: string }; status?: { winners?: number } }) => {
    const pending = committed.get(obj.metadata.name);
    const winners = obj.status?.winners ?? 0;
    if (!pending) return;
    while (pending.length > 0 && (pending[0]?.winners ?? Infinity) <= winners) {
      const first = pending.shift();
      if (first) latencies.push(Date.now() - first.at);
    }
  }, () => undefined);

  const idle0 = await kubeRequests();
  const idleStart = Date.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const idleRate = ((await kubeRequests()) - idle0) / ((Date.now() - idleStart) / 1000);

  const names = [...ids.keys()];
  const winners = new Map<string, number>();
  const writes0 = (await metrics.statusWrites.get()).values[0]?.value ?? 0;
  const busy0 = await kubeRequests();
  const busyStart = Date.now();
  let updates = 0;
  while (Date.now() - busyStart < SECONDS * 1000) {
    const name = names[updates % names.length] ?? '';
    const id = ids.get(name) ?? 0;
    const { sql, replacements } = counterUpdate({ campaignId: id, success: 1, soldOut: 0, duplicate: 0 }, 1);
    await db.sequelize.query(sql, { replacements });
    const n = (winners.get(name) ?? 0) + 1;
    winners.set(name, n);
    const list = committed.get(name) ?? [];
    list.push({ winners: n, at: Date.now() });
    committed.set(name, list);
    updates++;
    await new Promise((r) => setTimeout(r, 1000 / UPDATES_PER_SEC));
  }
  const busySeconds = (Date.now() - busyStart) / 1000;
  await waitFor('every change seen', () => Promise.resolve([...committed.values()].every((l) => l.length === 0)), 30_000);
  const busyRate = ((await kubeRequests()) - busy0) / busySeconds;
  const writes = ((await metrics.statusWrites.get()).values[0]?.value ?? 0) - writes0;
  req.abort();
  const [dbRows] = await db.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM campaigns', { type: QueryTypes.SELECT });
  console.log(`| figure | value |
|---|---|
| Open campaigns | ${CAMPAIGNS} (${Number(dbRows?.n)} rows) |
| counter commits | ${updates} in ${busySeconds.toFixed(1)} s (${(updates / busySeconds).toFixed(1)}/s, round-robin over the campaigns) |
| status latency p50 / p95 / p99 / max | ${percentiles(latencies, [50, 95, 99]).join(' / ')} / ${Math.max(...latencies)} ms |
| status patches | ${writes} (${(writes / busySeconds).toFixed(1)}/s) |
| controller requests to the API server, counters moving | ${busyRate.toFixed(1)}/s |
| controller requests to the API server, idle | ${idleRate.toFixed(2)}/s |`);
  await operator.close();
} finally {
  await operatorDb.close();
  await db.drop();
  await cp.down();
}
