import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dbEnv } from './support/api.js';
import { startControlPlane, type ControlPlane } from './support/control-plane.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { spawnEntrypoint } from './support/process.js';

// What the API does through the Kubernetes API, against a real kube-apiserver (no node: no pod
// runs here, so the Job's command is run by the test, as the pod would run it; the end-to-end
// test on the local cluster lets Kubernetes run it): aggregation Jobs made from the CronJob, and
// the partition count read from the Strimzi KafkaTopic.

const repoRoot = path.resolve(import.meta.dirname, '../..');
const CRON = 'fcfs-aggregator';

interface JobJson {
  metadata: { name: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec: { template: { spec: { containers: { args: string[] }[] } } };
}

const cronJob = JSON.stringify({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: CRON },
  spec: {
    schedule: '0 2 * * *',
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'aggregator', image: 'fcfs-campaign:test', args: ['aggregator'] }] } } } },
  },
});

let cp: ControlPlane;
before(async () => {
  cp = await startControlPlane(path.join(repoRoot, `.local/test-control-plane-jobs-${process.pid}`));
  // the API finds its credentials as in a pod or a shell: KUBECONFIG
  process.env.KUBECONFIG = cp.kubeconfig;
  await cp.kubectl(['apply', '-f', '-'], cronJob);
  await cp.kubectl(['apply', '-f', path.join(repoRoot, '../shared/crds/strimzi-kafkatopic.crd.yaml')]);
  await cp.kubectl(['wait', '--for=condition=Established', 'crd/kafkatopics.kafka.strimzi.io', '--timeout=60s']);
});
after(async () => {
  delete process.env.KUBECONFIG;
  await cp.down();
});

describe('the partition count from the KafkaTopic when Strimzi manages the topic', () => {
  const fx = useApiFixture('k8s-topic', { KAFKA_TOPIC_RESOURCE: 'campaign-participation', KAFKA_TOPIC_RESOURCE_NAMESPACE: 'default' });
  const topic = (partitions: number) =>
    JSON.stringify({ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaTopic', metadata: { name: 'campaign-participation', labels: { 'strimzi.io/cluster': 'fcfs-kafka' } }, spec: { partitions, replicas: 1 } });

  it('reads spec.partitions on each call, and says 503 KUBERNETES_UNAVAILABLE without the object', async () => {
    const url = `${fx().api.url}/api/admin/kafka/partition-count`;
    const missing = await request(url);
    assert.equal(missing.status, 503);
    assert.equal(missing.body.errorCode, 'KUBERNETES_UNAVAILABLE');
    assert.match(missing.body.message, /KafkaTopic default\/campaign-participation could not be read/);
    await cp.kubectl(['apply', '-f', '-'], topic(1));
    assert.deepEqual(dataOf(await request(url)), { topic: fx().topic, partitionCount: 1, source: 'KafkaTopic' });
    await cp.kubectl(['apply', '-f', '-'], topic(4));
    assert.equal(dataOf(await request(url)).partitionCount, 4);
  });
});

describe('aggregation runs as Kubernetes Jobs made from the CronJob', { timeout: 5 * 60_000 }, () => {
  const fx = useApiFixture('k8s-jobs', { AGGREGATION_RUNNER: 'kubernetes-job', AGGREGATION_CRONJOB: CRON, POD_NAMESPACE: 'default' });
  const url = (p: string) => `${fx().api.url}${p}`;
  const today = new Date().toISOString().slice(0, 10);

  it('creates a Job from the template with the date and execution, names it, and the run it does is the recorded execution', async () => {
    const res = await request(url(`/api/admin/batch/aggregate?date=${today}`), { method: 'POST' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const started = dataOf(res);
    const executionId = Number(started.executionId);
    const jobName = String(started.kubernetesJob);
    assert.match(jobName, new RegExp(`^${CRON}-m[0-9a-z]+$`));
    const job = JSON.parse(await cp.kubectl(['get', 'job', jobName, '-o', 'json'])) as JobJson;
    assert.equal(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual(job.metadata.ownerReferences?.map((o) => [o.kind, o.name]), [['CronJob', CRON]]);
    const args = job.spec.template.spec.containers[0]?.args ?? [];
    assert.deepEqual(args, ['aggregator', '--date', today, '--execution-id', String(executionId)]);

    const status = async () => dataOf(await request(url(`/api/admin/batch/status/${executionId}`)));
    assert.equal((await status()).status, 'STARTED');
    assert.deepEqual((await status()).parameters, { date: today, timeZone: 'UTC', kubernetesJob: jobName });
    const second = await request(url(`/api/admin/batch/aggregate?date=${today}`), { method: 'POST' });
    assert.equal(second.body.errorCode, 'BATCH_ALREADY_RUNNING', 'the day is claimed before the Job runs');

    // what the Job's pod runs: the image's entrypoint with these arguments
    const pod = spawnEntrypoint('services/aggregator/main.ts', { ...dbEnv(fx().db.config), STATS_TIME_ZONE: 'UTC' }, args.slice(1));
    assert.equal(await pod.exited(), 0, pod.output());
    const done = await status();
    assert.equal(done.status, 'COMPLETED');
    const history = (await request(url('/api/admin/batch/history'))).body.data as { executionId: number; parameters: { kubernetesJob?: string } }[];
    assert.equal(history.find((e) => e.executionId === executionId)?.parameters.kubernetesJob, jobName);
  });

  it('answers 503 KUBERNETES_UNAVAILABLE and records the execution FAILED when the Job cannot be made', async () => {
    await cp.kubectl(['delete', 'cronjob', CRON]);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const res = await request(url(`/api/admin/batch/aggregate?date=${yesterday}`), { method: 'POST' });
    assert.equal(res.status, 503);
    assert.equal(res.body.errorCode, 'KUBERNETES_UNAVAILABLE');
    const executionId = Number(dataOf(res).executionId);
    const failed = dataOf(await request(url(`/api/admin/batch/status/${executionId}`)));
    assert.equal(failed.status, 'FAILED');
    assert.match(String(failed.error), /the Job could not be created/);
    // the day is free again for a retry
    await cp.kubectl(['apply', '-f', '-'], cronJob);
    assert.equal((await request(url(`/api/admin/batch/aggregate?date=${yesterday}`), { method: 'POST' })).status, 202);
  });
});
