import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { acknowledged, metric, type K6Summary } from '../../experiments/k6.js';
import { call, cluster, clusterProcessEnv, eventually, mustRun, repoRoot, run, sysctls, type ClusterEnv, type Reply } from './support/cluster.js';

// The product on a real single-node Kubernetes cluster that scripts/local-cluster assembles on
// this machine (root needed), against MariaDB and Kafka of the cluster's own, reached by the
// pods through the chart's external mode. No Strimzi operator runs here: the KafkaTopic objects
// are only checked to be accepted by the API server.

const RELEASE = 'e2e';
const NAMESPACE = 'campaign-e2e';
const HOST_SYSCTLS = ['vm.overcommit_memory', 'kernel.panic', 'kernel.panic_on_oops'];
const chart = path.join(repoRoot, 'charts/fcfs-campaign');
const valuesLocal = path.join(repoRoot, 'scripts/local-cluster/values-local.yaml');

describe('the chart on a real Kubernetes cluster', { timeout: 45 * 60_000 }, () => {
  const scriptsEnv = clusterProcessEnv(path.join(repoRoot, '.local/e2e-cluster'));
  const sysctlsBefore = sysctls(HOST_SYSCTLS);
  let c: ClusterEnv;
  let helm: string;
  let tag: string;
  let k6Tag: string;
  let db: mysql.Connection;
  let dbOpen = false;
  let token: string;
  const timings: Record<string, number> = {};
  let tornDown = false;

  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = Date.now() - t0;
    }
  };
  const kubectl = (...args: string[]) => mustRun(c.kubectl, ['-n', NAMESPACE, ...args], c.env);
  const helmRun = (...args: string[]) => run(helm, [...args, '--namespace', NAMESPACE], c.env);
  const helmValues = () => [
    '-f', valuesLocal,
    '--set-string', `image.tag=${tag}`,
    '--set-string', `loadtest.image.tag=${k6Tag}`,
    '--set', `database.host=${c.db.host}`, '--set', `database.port=${c.db.port}`,
    '--set', `kafka.bootstrapServers=${c.kafkaBrokers}`,
  ];
  const api = (p: string) => `${c.apiUrl}${p}`;
  // kubectl wait fails outright while a fresh CRD has no conditions at all yet
  const established = (crd: string) =>
    eventually(`CRD ${crd} established`, 60_000, async () =>
      (await mustRun(c.kubectl, ['get', 'crd', crd, '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}'], c.env)).trim() === 'True' ? true : undefined,
    );

  const teardown = async () => {
    if (tornDown) return;
    tornDown = true;
    if (dbOpen) await db.end().catch(() => undefined);
    await cluster.depsDown(scriptsEnv);
    const down = await cluster.down(scriptsEnv);
    if (down.status !== 0) throw new Error(`cluster.sh down failed:\n${down.stderr}`);
  };

  before(async () => {
    helm = (await mustRun(path.join(repoRoot, 'scripts/install-helm.sh'), [])).trim();
    await timed('cluster up', () => cluster.up(scriptsEnv));
    await timed('MariaDB and Kafka up', () => cluster.depsUp(scriptsEnv));
    c = await cluster.describe(scriptsEnv);
    tag = await timed('image build and import', () => cluster.image(scriptsEnv));
    k6Tag = await timed('k6 image build and import', () => cluster.k6Image(scriptsEnv));
    const { name: database, ...server } = c.db;
    db = await mysql.createConnection({ ...server, database });
    dbOpen = true;
  });

  after(async () => {
    await teardown();
    console.log(`# e2e timings (ms): ${JSON.stringify(timings)}`);
  });

  it('installs with helm --wait, running the migration hook first', async () => {
    const install = await timed('helm install --wait', () => helmRun('install', RELEASE, chart, '--create-namespace', '--wait', '--timeout', '5m', ...helmValues()));
    if (install.status !== 0) {
      // what the pods say is the only way to tell why a release did not become ready
      const state = await kubectl('get', 'pods,jobs,events', '-o', 'wide').catch((err: unknown) => String(err));
      const logs = await kubectl('logs', '--all-containers', '--prefix', '--tail', '30', '-l', 'app.kubernetes.io/instance=' + RELEASE).catch((err: unknown) => String(err));
      assert.fail(`${install.stderr}\n${state}\n${logs}`);
    }
    const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT name FROM schema_migrations ORDER BY name');
    assert.ok(rows.length >= 3, `migrations applied by the hook: ${JSON.stringify(rows)}`);
    // the hook Job and its Secret and ServiceAccount are deleted once it succeeded
    assert.equal((await kubectl('get', 'jobs', '-o', 'name')).trim(), '');
    const pods = JSON.parse(await kubectl('get', 'pods', '-o', 'json')) as { items: { metadata: { labels: Record<string, string> }; status: { phase: string } }[] };
    const running = pods.items.filter((p) => p.status.phase === 'Running').map((p) => p.metadata.labels['app.kubernetes.io/component']).sort();
    // the Campaign controller is on by default: two instances, one of them elected
    assert.deepEqual(running, ['api', 'api', 'consumer', 'operator', 'operator']);
    token = Buffer.from((await kubectl('get', 'secret', `${RELEASE}-fcfs-campaign-admin-token`, '-o', 'jsonpath={.data.admin-token}')).trim(), 'base64').toString();
    assert.ok(token.length >= 32);
  });

  it('has the Strimzi KafkaTopics accepted by the API server once their CRD is installed', async () => {
    await mustRun(c.kubectl, ['apply', '-f', path.join(repoRoot, '../shared/crds/strimzi-kafkatopic.crd.yaml')], c.env);
    await established('kafkatopics.kafka.strimzi.io');
    // the defaults (Strimzi on) and a password, without which the chart refuses to render
    const topics = await mustRun(helm, ['template', RELEASE, chart, '--namespace', NAMESPACE, '--kube-version', '1.34.10', '--set', 'database.password=unused', '--show-only', 'templates/kafka/topic.yaml', '--show-only', 'templates/kafka/dlq-topic.yaml'], c.env);
    await mustRun(c.kubectl, ['apply', '-f', '-'], c.env, topics);
    const names = (await kubectl('get', 'kafkatopics.kafka.strimzi.io', '-o', 'jsonpath={.items[*].metadata.name}')).trim().split(' ').sort();
    assert.deepEqual(names, ['campaign-participation', 'campaign-participation-dlq']);
    await mustRun(c.kubectl, ['delete', '-f', '-'], c.env, topics);
  });

  it('renders the load test as a k6-operator TestRun by itself once the cluster serves that API, which accepts it', async () => {
    await mustRun(c.kubectl, ['apply', '-f', path.join(repoRoot, '../shared/crds/k6.io_testruns.crd.yaml')], c.env);
    try {
      await established('testruns.k6.io');
      // --validate: helm asks this cluster which APIs it serves, as an install does
      const testRun = await mustRun(helm, ['template', RELEASE, chart, '--namespace', NAMESPACE, '--validate', '--set', 'database.password=unused', '--set', 'loadtest.enabled=true', '--set', 'loadtest.runId=e2e', '--show-only', 'templates/loadtest/testrun.yaml'], c.env);
      assert.match(testRun, /kind: TestRun/);
      const accepted = await mustRun(c.kubectl, ['-n', NAMESPACE, 'apply', '--dry-run=server', '-f', '-', '-o', 'name'], c.env, testRun);
      assert.match(accepted, new RegExp(`^testrun\\.k6\\.io/${RELEASE}-fcfs-campaign-loadtest-e2e$`, 'm'));
    } finally {
      // without the CRD the chart goes back to a plain Job, which is what the cluster can run
      await mustRun(c.kubectl, ['delete', 'crd/testruns.k6.io', '--wait=true'], c.env);
    }
  });

  let campaignId = 0;
  it('through the Service: 2,000 concurrent participations for stock 50 give exactly 50 winners, none twice, every accepted one decided', async () => {
    const created = await call(api('/api/admin/campaigns'), { body: { name: 'e2e rush', totalStock: 50 }, token });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    campaignId = Number(created.body.data?.id);
    const users = Array.from({ length: 2000 }, (_, i) => 1 + (i % 1500)); // 500 users try twice
    // As the contract tells clients: a 503 means nothing was accepted yet; retry with the same id.
    let retries = 0;
    const participate = async (userId: number): Promise<Reply> => {
      const requestId = randomUUID();
      for (let attempt = 1; ; attempt++) {
        const reply = await call(api(`/api/campaigns/${campaignId}/participation`), { body: { userId, requestId } });
        if (reply.status !== 503 || attempt === 50) return reply;
        retries++;
      }
    };
    const t0 = Date.now();
    const replies = await Promise.all(users.map(participate));
    timings['2000 participations'] = Date.now() - t0;
    timings['retries after 503'] = retries;
    const accepted = replies.filter((r) => r.status === 202);
    // 200: answered without the log once sold out: DUPLICATE to a winner, SOLD_OUT to anyone else
    const other = replies.filter((r) => r.status !== 202 && !(r.status === 200 && ['SOLD_OUT', 'DUPLICATE'].includes(String(r.body.data?.status))));
    assert.deepEqual(other.map((r) => [r.status, r.body.errorCode]), [], 'only 202 or an early SOLD_OUT / DUPLICATE');
    const decided = await eventually('every accepted request decided', 120_000, async () => {
      const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?', [campaignId]);
      return Number(rows[0]?.n) === accepted.length ? accepted.length : undefined;
    });
    assert.equal(decided, accepted.length);
    const [winners] = await db.query<mysql.RowDataPacket[]>("SELECT user_id, COUNT(*) AS n FROM participations WHERE campaign_id = ? AND status = 'SUCCESS' GROUP BY user_id", [campaignId]);
    assert.equal(winners.length, 50, 'exactly 50 winners');
    assert.ok(winners.every((w) => Number(w.n) === 1), 'nobody wins twice');
    const winnerIds = new Set(winners.map((w) => Number(w.user_id)));
    replies.forEach((r, i) => {
      if (r.status === 200) assert.equal(r.body.data?.status, winnerIds.has(users[i] ?? 0) ? 'DUPLICATE' : 'SOLD_OUT', `user ${users[i]}`);
    });
    const status = await call(api(`/api/campaigns/${campaignId}/status`));
    assert.equal(status.body.data?.successCount, 50);
    assert.equal(status.body.data.currentStock, 0);
  });

  it('kubectl get campaigns lists the campaign made through the API, its status from the counters', async () => {
    // the elected operator mirrors API-made campaigns every OPERATOR_MIRROR_INTERVAL_MS (2 s)
    const object = await eventually(`Campaign campaign-${campaignId}`, 60_000, async () => {
      const listed = JSON.parse(await kubectl('get', 'campaigns.fcfs.dev', '-l', `fcfs.dev/campaign-id=${campaignId}`, '-o', 'json')) as { items: { metadata: { name: string }; status?: { phase?: string; winners?: number } }[] };
      const [found] = listed.items;
      return found?.status?.phase === 'SoldOut' ? found : undefined;
    });
    assert.equal(object.metadata.name, `campaign-${campaignId}`);
    assert.equal(object.status?.winners, 50);
    assert.match(await kubectl('get', 'campaigns'), new RegExp(`^campaign-${campaignId}\\s`, 'm'));
  });

  it('a Job made from the CronJob aggregates the day, equal to the raw numbers', async () => {
    const cron = JSON.parse(await kubectl('get', 'cronjob', `${RELEASE}-fcfs-campaign-aggregator`, '-o', 'json')) as { spec: { jobTemplate: { spec: { template: { spec: { containers: { args: string[] }[] } } } } } };
    const today = new Date().toISOString().slice(0, 10);
    const jobSpec = cron.spec.jobTemplate.spec;
    const container = jobSpec.template.spec.containers[0];
    assert.ok(container);
    assert.deepEqual(container.args, ['aggregator']);
    container.args = ['aggregator', '--date', today]; // the traffic above is today's
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'aggregate-e2e', labels: { 'app.kubernetes.io/instance': RELEASE } }, spec: jobSpec };
    await mustRun(c.kubectl, ['-n', NAMESPACE, 'create', '-f', '-'], c.env, JSON.stringify(job));
    await timed('aggregation job', () => kubectl('wait', '--for=condition=Complete', 'job/aggregate-e2e', '--timeout=180s'));
    const daily = await call(api(`/api/admin/stats/daily?date=${today}`), { token });
    const raw = await call(api(`/api/admin/stats/raw?date=${today}`), { token });
    const pick = (r: Reply) => (r.body.data?.stats as Record<string, unknown>[]).find((s) => s.campaignId === campaignId);
    const aggregated = pick(daily);
    assert.ok(aggregated, JSON.stringify(daily.body));
    assert.deepEqual(aggregated, pick(raw));
    assert.equal(aggregated.successCount, 50);
    await kubectl('delete', 'job', 'aggregate-e2e', '--wait=true');
  });

  it('the API aggregation trigger creates an AggregationRun; the operator runs it as a Job from the CronJob, which completes and records its execution', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const started = await call(api(`/api/admin/batch/aggregate?date=${today}`), { method: 'POST', token });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const executionId = Number(started.body.data?.executionId);
    const jobName = String(started.body.data?.kubernetesJob);
    assert.match(jobName, new RegExp(`^${RELEASE}-fcfs-campaign-aggregator-m[0-9a-z]+$`));
    assert.equal(started.body.data?.aggregationRun, jobName);
    await timed('aggregation run by the operator', () => kubectl('wait', '--for=jsonpath={.status.phase}=Succeeded', `aggregationrun/${jobName}`, '--timeout=180s'));
    const aggregated = JSON.parse(await kubectl('get', 'aggregationrun', jobName, '-o', 'json')) as { status: { executionId: number; jobName: string; result: { status: string } } };
    assert.deepEqual([aggregated.status.executionId, aggregated.status.jobName, aggregated.status.result.status], [executionId, jobName, 'COMPLETED']);
    assert.equal((await kubectl('get', 'job', jobName, '-o', 'jsonpath={.status.succeeded}')).trim(), '1');
    // the API may create AggregationRuns and nothing that runs a pod
    const canI = (verb: string, what: string) => run(c.kubectl, ['auth', 'can-i', verb, what, '-n', NAMESPACE, '--as', `system:serviceaccount:${NAMESPACE}:${RELEASE}-fcfs-campaign-api`], c.env);
    assert.equal((await canI('create', 'aggregationruns.fcfs.dev')).stdout.trim(), 'yes');
    for (const what of ['jobs', 'pods', 'cronjobs', 'deployments']) assert.equal((await canI('create', what)).stdout.trim(), 'no', what);
    const status = await call(api(`/api/admin/batch/status/${executionId}`), { token });
    const execution = status.body.data;
    assert.ok(execution, JSON.stringify(status.body));
    assert.equal(execution.status, 'COMPLETED', JSON.stringify(status.body));
    assert.equal((execution.parameters as Record<string, unknown> | undefined)?.kubernetesJob, jobName);
  });

  it('helm upgrade with a changed value rolls the API while load runs, and no request fails', async () => {
    const load = await call(api('/api/admin/campaigns'), { body: { name: 'e2e rollout', totalStock: 1_000_000 }, token });
    const loadCampaign = Number(load.body.data?.id);
    const before = (await kubectl('get', 'pods', '-l', 'app.kubernetes.io/component=api', '-o', 'jsonpath={.items[*].metadata.name}')).trim().split(' ').sort();
    let stop = false;
    const failures: string[] = [];
    let sent = 0;
    let nextUser = 1;
    const worker = async () => {
      while (!stop) {
        sent++;
        try {
          const r = await call(api(`/api/campaigns/${loadCampaign}/participation`), { body: { userId: nextUser++ } });
          if (r.status !== 202) failures.push(`${r.status} ${r.body.errorCode ?? ''}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    const upgrade = await timed('helm upgrade under load', () => helmRun('upgrade', RELEASE, chart, '--wait', '--timeout', '5m', ...helmValues(), '--set', 'podAnnotations.rollout=e2e'));
    stop = true;
    await Promise.all(workers);
    assert.equal(upgrade.status, 0, upgrade.stderr);
    // --wait returns once the new pods are ready; the old ones may still be draining
    const after = await eventually('the old API pods gone', 120_000, async () => {
      const now = (await kubectl('get', 'pods', '-l', 'app.kubernetes.io/component=api', '-o', 'jsonpath={.items[*].metadata.name}')).trim().split(' ').sort();
      return now.some((p) => before.includes(p)) ? undefined : now;
    });
    assert.equal(after.length, 2, `two new API pods: ${after.join(',')}`);
    timings['requests during upgrade'] = sent;
    assert.ok(sent > 50, `load ran during the rollout (${sent} requests)`);
    assert.deepEqual(failures, []);
    const token2 = Buffer.from((await kubectl('get', 'secret', `${RELEASE}-fcfs-campaign-admin-token`, '-o', 'jsonpath={.data.admin-token}')).trim(), 'base64').toString();
    assert.equal(token2, token, 'the generated admin token survives the upgrade');
  });

  it('the consumer pod deleted in the middle of a backlog: the replacement resumes, nothing lost or decided twice', async () => {
    const backlog = 50_000;
    const created = await call(api('/api/admin/campaigns'), { body: { name: 'e2e backlog', totalStock: 100 }, token });
    const id = Number(created.body.data?.id);
    const count = async () => {
      const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT log_offset) AS offsets, COUNT(DISTINCT request_id) AS requests FROM participations WHERE campaign_id = ?', [id]);
      const row = rows[0];
      return { n: Number(row?.n), offsets: Number(row?.offsets), requests: Number(row?.requests) };
    };
    const bulk = await call(api('/api/admin/test/participate-bulk'), { body: { campaignId: id, count: backlog, startUserId: 1 }, token });
    assert.equal(bulk.body.data?.acknowledged, backlog, JSON.stringify(bulk.body));
    const uid = (await kubectl('get', 'pod', `${RELEASE}-fcfs-campaign-consumer-0`, '-o', 'jsonpath={.metadata.uid}')).trim();
    const atDelete = await eventually('some of the backlog decided', 120_000, async () => {
      const s = await count();
      return s.n > 0 ? s.n : undefined;
    });
    await kubectl('delete', 'pod', `${RELEASE}-fcfs-campaign-consumer-0`, '--wait=false');
    await eventually('a replacement consumer', 180_000, async () => {
      const now = (await kubectl('get', 'pod', `${RELEASE}-fcfs-campaign-consumer-0`, '-o', 'jsonpath={.metadata.uid} {.status.containerStatuses[0].ready}')).trim();
      return now !== `${uid} true` && now.endsWith(' true') ? now : undefined;
    });
    const final = await timed('backlog after the consumer restart', () =>
      eventually('the whole backlog decided', 300_000, async () => {
        const s = await count();
        return s.n >= backlog ? s : undefined;
      }),
    );
    timings['backlog decided when the consumer pod was deleted'] = atDelete;
    assert.ok(atDelete < backlog, `deleted mid-backlog (${atDelete} of ${backlog} decided)`);
    assert.deepEqual(final, { n: backlog, offsets: backlog, requests: backlog });
    const [winners] = await db.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ? AND status = 'SUCCESS'", [id]);
    assert.equal(Number(winners[0]?.n), 100);
  });

  /** helm upgrade with the chart's k6 load test on, as run runId: waits for its Job, returns its exit and the summary its log holds. */
  const loadtest = async (runId: string, script: string, env: Record<string, string | number>) => {
    const sets = ['--set', 'loadtest.enabled=true', '--set', `loadtest.runId=${runId}`, '--set', 'loadtest.runner=job', '--set', `loadtest.script=${script}`];
    for (const [k, v] of Object.entries(env)) sets.push('--set-string', `loadtest.env.${k}=${v}`);
    const upgrade = await helmRun('upgrade', RELEASE, chart, '--wait', '--timeout', '5m', ...helmValues(), ...sets);
    assert.equal(upgrade.status, 0, upgrade.stderr);
    const job = `${RELEASE}-fcfs-campaign-loadtest-${runId}`;
    assert.match(upgrade.stdout, new RegExp(`as Job ${job}`), 'the NOTES tell where the run is');
    const result = await eventually(`load test Job ${job} finished`, 600_000, async () => {
      const [succeeded, failed] = (await kubectl('get', 'job', job, '-o', 'jsonpath={.status.succeeded},{.status.failed}')).trim().split(',');
      return succeeded === '1' ? 'succeeded' : failed === '1' ? 'failed' : undefined;
    });
    const log = await kubectl('logs', `job/${job}`);
    // the summary is one JSON line; k6's own messages (stderr) may share the log
    const line = log.split('\n').findLast((l) => l.startsWith('{'));
    assert.ok(line, `no JSON summary in the log of ${job}:\n${log.slice(-3000)}`);
    return { result, summary: JSON.parse(line) as K6Summary, log };
  };

  it('the chart k6 Job rushes the api through its Service DNS name, and a verify Job finds the invariants true', async () => {
    // thresholds on latency are set out of reach: this checks the plumbing and the outcome, not the speed
    const rush = await timed('k6 rush Job', () => loadtest('rush', 'rush.ts', { PEAK_RATE: 200, DURATION: '2s', STOCK: 50, MAX_VUS: 200, P99_MS: 120_000 }));
    assert.equal(rush.result, 'succeeded', `the rush's thresholds failed:\n${rush.log.slice(-3000)}`);
    const campaign = rush.summary.setup_data?.campaignId ?? 0;
    const issued = metric(rush.summary, 'iterations');
    assert.ok(campaign > 0 && issued > 0, JSON.stringify(rush.summary.setup_data));
    assert.equal(metric(rush.summary, 'outcome_unexpected'), 0);
    const status = await call(api(`/api/campaigns/${campaign}/status`));
    assert.equal(status.status, 200, 'the campaign the Job created is the one the host sees');

    const verify = await timed('k6 verify Job', () =>
      loadtest('verify', 'verify.ts', { CAMPAIGN_ID: campaign, RUN_ID: rush.summary.setup_data?.runId ?? '', ISSUED: issued, ACKNOWLEDGED: acknowledged(rush.summary), DRAIN_TIMEOUT_S: 300 }),
    );
    assert.equal(verify.result, 'succeeded', `verify found an invariant false:\n${verify.log.slice(-3000)}`);
    assert.equal(metric(verify.summary, 'checks', 'fails'), 0);
    assert.ok(metric(verify.summary, 'checks', 'passes') > 0);
    const decided = await call(api(`/api/campaigns/${campaign}/status`));
    assert.equal(decided.body.data?.successCount, Math.min(50, acknowledged(rush.summary)), 'winners == stock');
  });

  it('a Campaign with a warmup has the API at its warm replica count before startsAt, and the chart floor back after it ends', async () => {
    // No metrics-server here: the HPA cannot measure CPU, but it still holds the replicas at its
    // floor, which is what a warmup moves.
    const upgrade = await timed('helm upgrade to the HPA', () =>
      helmRun('upgrade', RELEASE, chart, '--wait', '--timeout', '5m', ...helmValues(), '--set', 'api.autoscaling.enabled=true', '--set', 'api.autoscaling.minReplicas=2', '--set', 'api.autoscaling.maxReplicas=4'),
    );
    assert.equal(upgrade.status, 0, upgrade.stderr);
    const name = `${RELEASE}-fcfs-campaign-api`;
    const floor = async () => Number((await kubectl('get', 'hpa', name, '-o', 'jsonpath={.spec.minReplicas}')).trim());
    const ready = async () => Number((await kubectl('get', 'deployment', name, '-o', 'jsonpath={.status.readyReplicas}')).trim() || '0');
    await eventually('the API at the chart floor', 180_000, async () => ((await floor()) === 2 && (await ready()) === 2 ? true : undefined));
    // Whole seconds: the database keeps the window to the second, and the campaign ends when it says.
    const startsAt = new Date(Math.ceil((Date.now() + 90_000) / 1000) * 1000);
    const endsAt = new Date(startsAt.getTime() + 15_000);
    const campaign = {
      apiVersion: 'fcfs.dev/v1alpha1',
      kind: 'Campaign',
      metadata: { name: 'warm-e2e' },
      spec: { displayName: 'Warm e2e', totalStock: 10, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), warmup: { apiReplicas: 3, leadTime: '75s' } },
    };
    await mustRun(c.kubectl, ['-n', NAMESPACE, 'apply', '-f', '-'], c.env, JSON.stringify(campaign));
    await timed('warm replicas ready', () => eventually('3 API pods ready', 90_000, async () => ((await ready()) >= 3 ? true : undefined)));
    const warmAt = Date.now();
    assert.ok(warmAt < startsAt.getTime(), `3 pods ready ${(warmAt - startsAt.getTime()) / 1000} s after startsAt`);
    console.log(`# the warm replicas were ready ${((startsAt.getTime() - warmAt) / 1000).toFixed(1)} s before startsAt`);
    assert.equal(await floor(), 3);
    const status = JSON.parse(await kubectl('get', 'campaign', 'warm-e2e', '-o', 'json')) as { status?: { warmup?: { state: string; apiMinReplicas?: number } } };
    assert.deepEqual([status.status?.warmup?.state, status.status?.warmup?.apiMinReplicas], ['Warm', 3]);
    await timed('floor restored', () => eventually('the chart floor back after endsAt', 120_000, async () => ((await floor()) === 2 ? true : undefined)));
    assert.ok(Date.now() >= endsAt.getTime(), 'not before the campaign ended');
    const done = JSON.parse(await kubectl('get', 'campaign', 'warm-e2e', '-o', 'json')) as { status?: { warmup?: { state: string } } };
    assert.equal(done.status?.warmup?.state, 'Done');
  });

  it('passes helm test', async () => {
    const test = await helmRun('test', RELEASE, '--timeout', '3m');
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /Phase:\s+Succeeded/);
  });

  it('helm uninstall leaves nothing of the release behind but the data', async () => {
    const uninstall = await helmRun('uninstall', RELEASE, '--wait', '--timeout', '3m');
    assert.equal(uninstall.status, 0, uninstall.stderr);
    // pods go through their graceful termination after their owners are deleted
    await eventually('nothing of the release left', 120_000, async () => {
      const left = (await kubectl('get', 'all,secrets,configmaps,serviceaccounts,pdb,cronjobs,jobs,networkpolicies', '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'name')).trim();
      return left === '' ? true : undefined;
    });
    const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?', [campaignId]);
    assert.ok(Number(rows[0]?.n) > 0, 'the data stays');
  });

  it('tears the cluster down and restores the host settings kubelet changed', async () => {
    await teardown();
    assert.deepEqual(sysctls(HOST_SYSCTLS), sysctlsBefore);
    const links = await mustRun('ip', ['-o', 'link', 'show']);
    // this cluster's veth, named after its directory as lib.sh names it (another cluster may run)
    const id = createHash('sha256').update(path.join(repoRoot, '.local/e2e-cluster')).digest('hex').slice(0, 6);
    assert.doesNotMatch(links, new RegExp(`\\bfc${id}h\\b`), 'the veth is gone');
  });
});
