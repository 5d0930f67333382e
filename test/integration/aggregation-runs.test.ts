import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from './support/control-plane.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';

// What the API does through the Kubernetes API, against a real kube-apiserver: AggregationRun
// objects for the operator (which makes their Jobs: campaign-operator.test.ts), and the partition
// count read from the Strimzi KafkaTopic.

const repoRoot = path.resolve(import.meta.dirname, '../..');
const CRON = 'fcfs-aggregator';

let cp: ControlPlane;
before(async () => {
  cp = await startControlPlane(path.join(repoRoot, `.local/test-control-plane-jobs-${process.pid}`));
  // the API finds its credentials as in a pod or a shell: KUBECONFIG
  process.env.KUBECONFIG = cp.kubeconfig;
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

describe('aggregation handed to the operator as AggregationRun objects', { timeout: 5 * 60_000 }, () => {
  const fx = useApiFixture('k8s-runs', { AGGREGATION_RUNNER: 'aggregation-run', AGGREGATION_RUN_PREFIX: CRON, POD_NAMESPACE: 'default' });
  const url = (p: string) => `${fx().api.url}${p}`;
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  it('answers 503 KUBERNETES_UNAVAILABLE and records the execution FAILED when the object cannot be made (no CRD yet)', async () => {
    const res = await request(url(`/api/admin/batch/aggregate?date=${yesterday}`), { method: 'POST' });
    assert.equal(res.status, 503);
    assert.equal(res.body.errorCode, 'KUBERNETES_UNAVAILABLE');
    const executionId = Number(dataOf(res).executionId);
    const failed = dataOf(await request(url(`/api/admin/batch/status/${executionId}`)));
    assert.equal(failed.status, 'FAILED');
    assert.match(String(failed.error), /the AggregationRun could not be created/);
  });

  it('creates an AggregationRun with the day and the claimed execution, named like the Job the operator will make', async () => {
    await cp.kubectl(['apply', '-f', path.join(repoRoot, 'charts/fcfs-campaign/crds/aggregationruns.fcfs.dev.yaml')]);
    await cp.kubectl(['wait', '--for=condition=Established', 'crd/aggregationruns.fcfs.dev', '--timeout=60s']);
    const res = await request(url(`/api/admin/batch/aggregate?date=${today}`), { method: 'POST' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const started = dataOf(res);
    const executionId = Number(started.executionId);
    const name = String(started.aggregationRun);
    assert.match(name, new RegExp(`^${CRON}-m[0-9a-z]+$`));
    assert.equal(started.kubernetesJob, name, 'the Job is named after the run');
    const run = JSON.parse(await cp.kubectl(['get', 'aggregationrun', name, '-o', 'json'])) as { spec: unknown };
    assert.deepEqual(run.spec, { date: today, executionId });
    const status = dataOf(await request(url(`/api/admin/batch/status/${executionId}`)));
    assert.equal(status.status, 'STARTED');
    assert.deepEqual(status.parameters, { date: today, timeZone: 'UTC', kubernetesJob: name, aggregationRun: name });
    const second = await request(url(`/api/admin/batch/aggregate?date=${today}`), { method: 'POST' });
    assert.equal(second.body.errorCode, 'BATCH_ALREADY_RUNNING', 'the day is claimed before the object is made');
    // the day is free again after a failed attempt
    assert.equal((await request(url(`/api/admin/batch/aggregate?date=${yesterday}`), { method: 'POST' })).status, 202);
  });
});
