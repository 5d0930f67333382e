import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { queriesOf } from '../../observability/dashboards/panels.js';
import { generatedFiles } from '../../observability/generate.js';
import { operationsDashboard } from '../../observability/dashboards/operations.js';
import { overviewDashboard } from '../../observability/dashboards/overview.js';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { testKafka } from './support/kafka.js';
import { freePort, waitFor } from './support/process.js';

const run = promisify(execFile);

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

interface PromResult {
  status: string;
  error?: string;
  data: { resultType: string; result: unknown[] };
}

const rules = parseYaml(readFileSync('observability/alerts.yml', 'utf8')) as RuleFile;
const dashboards = [overviewDashboard(), operationsDashboard()];

describe('alert rules (promtool)', () => {
  it('are valid rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', 'observability/alerts.yml']);
    assert.match(stdout, /SUCCESS/);
  });
  it('pass their unit tests: every alert fires when it should and stays quiet when it should not', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', 'observability/alerts.test.yml']);
    assert.match(stdout, /SUCCESS/);
    const tested = new Set([...readFileSync('observability/alerts.test.yml', 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    for (const group of rules.groups) for (const r of group.rules) if (r.alert) assert.ok(tested.has(r.alert), `${r.alert} has a unit test`);
  });
  it('every alert fires on series labelled as a ServiceMonitor scrape labels them', () => {
    interface UnitTest { name: string; input_series: { series: string }[]; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }
    const unitTests = (parseYaml(readFileSync('observability/alerts.test.yml', 'utf8')) as { tests: UnitTest[] }).tests;
    const scraped = unitTests.filter((t) => t.name.startsWith('ServiceMonitor labelling:'));
    // what prometheus-operator's generated relabelings give every target, plus the chart's component
    const targetLabels = ['namespace', 'service', 'job', 'endpoint', 'pod', 'container', 'instance', 'component'];
    const fired = new Set<string>();
    for (const t of scraped) {
      for (const { series } of t.input_series) {
        const labels = new Set([...series.matchAll(/(\w+)="/g)].map((m) => m[1]));
        for (const label of targetLabels) assert.ok(labels.has(label), `${t.name}: ${series} has ${label}`);
        // up is made by the scrape itself, so the process never labelled it
        assert.equal(labels.has('exported_service'), !series.startsWith('up{'), `${t.name}: ${series} keeps the process's service as exported_service`);
        assert.doesNotMatch(series, /\bservice="(api|consumer|operator)"/, `${t.name}: service is the Kubernetes Service's name`);
      }
      for (const check of t.alert_rule_test ?? []) if (check.exp_alerts.length > 0) fired.add(check.alertname);
    }
    for (const group of rules.groups) for (const r of group.rules) if (r.alert) assert.ok(fired.has(r.alert), `${r.alert} fires in a ServiceMonitor labelling test`);
  });
  it('every alert has a summary, a description and a runbook section', () => {
    const runbook = readFileSync('docs/runbook.md', 'utf8').toLowerCase();
    for (const group of rules.groups) {
      for (const r of group.rules as { alert?: string; annotations?: Record<string, string> }[]) {
        if (!r.alert) continue;
        assert.ok(r.annotations?.summary && r.annotations.description, r.alert);
        assert.equal(r.annotations.runbook_url, `__RUNBOOK_BASE_URL__#${r.alert.toLowerCase()}`);
        assert.ok(runbook.includes(`## ${r.alert.toLowerCase()}`), `docs/runbook.md has a section for ${r.alert}`);
      }
    }
  });
  it('the chart carries the generated dashboards and rules as they are now', () => {
    for (const [path, content] of generatedFiles()) assert.equal(readFileSync(path, 'utf8'), content, `${path} is up to date (make observability)`);
  });
});

/**
 * A real Prometheus scrapes a real api and consumer while both paths, a poison record, an
 * aggregation and a consumer restart happen; then every dashboard query and every rule is
 * evaluated through Prometheus's HTTP API.
 */
describe('dashboards and alerts against a real Prometheus', () => {
  const fx = useApiFixture('observability');
  let stateDir: string;
  let promUrl: string;
  let consumer: TestConsumer;
  let metricsPort: number;
  const monitoring = async (command: string) =>
    run('bash', ['scripts/monitoring.sh', command], {
      timeout: 120_000,
      env: {
        ...process.env,
        LOCAL_STACK_DIR: stateDir,
        LOCAL_PROMETHEUS_PORT: new URL(promUrl).port,
        MONITOR_API: new URL(fx().api.url).host,
        MONITOR_CONSUMER: `127.0.0.1:${metricsPort}`,
        MONITOR_SCRAPE_INTERVAL: '1s',
      },
    });
  const query = async (expr: string): Promise<PromResult> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as PromResult;
  };

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'fcfs-prometheus-'));
    promUrl = `http://127.0.0.1:${await freePort()}`;
    metricsPort = await freePort();
    consumer = await startTestConsumer(fx().db.config, fx().topic, { METRICS_PORT: String(metricsPort) });
    await monitoring('start');
  });
  after(async () => {
    await monitoring('stop').catch(() => undefined);
    await consumer.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('every panel query returns data and every rule expression evaluates', async () => {
    const api = fx().api.url;
    const campaign = async (totalStock: number) => dataOf(await request(`${api}/api/admin/campaigns`, { body: { name: 'observed', totalStock } })).id as number;
    const soldOut = await campaign(20);
    const open = await campaign(1_000);
    const participate = (id: number, userId: number, path = 'participation') => request(`${api}/api/campaigns/${id}/${path}`, { body: { userId } });
    const drive = async (from: number) => {
      await Promise.all(Array.from({ length: 60 }, (_, i) => participate(soldOut, from + i)));
      await Promise.all(Array.from({ length: 10 }, (_, i) => participate(open, from + i)));
      await Promise.all(Array.from({ length: 10 }, (_, i) => participate(open, from + 100 + i, 'participation-sync')));
      assert.equal((await request(`${api}/api/campaigns/${soldOut}/participation`, { body: { userId: -1 } })).status, 400);
    };
    await drive(1);
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: fx().topic, messages: [{ value: 'not a participation' }] });
    await producer.disconnect();
    const today = new Date().toISOString().slice(0, 10);
    const run = dataOf(await request(`${api}/api/admin/batch/aggregate?date=${today}`, { method: 'POST' })).executionId as number;
    await waitFor('the aggregation to finish', async () => dataOf(await request(`${api}/api/admin/batch/status/${run}`)).status !== 'STARTED');

    // a consumer restart, on the same scrape target
    await consumer.stop();
    consumer = await startTestConsumer(fx().db.config, fx().topic, { METRICS_PORT: String(metricsPort) });
    await drive(1_000);

    await waitFor('both targets scraped', async () => (await query('sum(up{component=~"api|consumer"})')).data.result.length === 1 && (await query('sum(up{component=~"api|consumer"}) == 2')).data.result.length === 1, 60_000);

    // Every metric a dashboard names is exported by some process.
    const names = new Set(((await (await fetch(`${promUrl}/api/v1/label/__name__/values`)).json()) as { data: string[] }).data);
    for (const dashboard of dashboards) {
      for (const expr of queriesOf(dashboard)) {
        for (const [metric] of expr.matchAll(/\bfcfs_[a-z0-9_]+/g)) assert.ok(names.has(metric), `${dashboard.title}: ${metric} is exported`);
      }
    }

    for (const dashboard of dashboards) {
      for (const expr of queriesOf(dashboard)) {
        const concrete = expr.replaceAll('$__rate_interval', '1m');
        await waitFor(`data for ${dashboard.title}: ${concrete}`, async () => {
          const result = await query(concrete);
          assert.equal(result.status, 'success', `${concrete}: ${result.error ?? ''}`);
          return result.data.result.length > 0;
        }, 60_000);
      }
    }

    for (const group of rules.groups) {
      for (const rule of group.rules) {
        const result = await query(rule.expr);
        assert.equal(result.status, 'success', `${rule.alert ?? rule.record ?? ''}: ${result.error ?? ''}`);
      }
    }
    // the rules Prometheus loaded evaluate without error
    await waitFor('every rule group evaluated', async () => {
      const loaded = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string; lastError?: string; name: string }[] }[] } };
      const all = loaded.data.groups.flatMap((g) => g.rules);
      for (const r of all) assert.notEqual(r.health, 'err', `${r.name}: ${r.lastError ?? ''}`);
      return all.length === rules.groups.flatMap((g) => g.rules).length && all.every((r) => r.health === 'ok');
    });
  });
});
