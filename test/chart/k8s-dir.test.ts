import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { chartDir, conform, installChartTools, parseManifests, repoRoot, run, type ChartTools, type KubeObject } from './support/chart.js';

// k8s/ pulls images and charts from the internet, which this machine cannot: it is checked
// statically here (schemas, cross-references, shell syntax), never run.
const k8s = (file: string) => path.join(repoRoot, 'k8s', file);

describe('k8s/ for kind and minikube (static)', () => {
  let tools: ChartTools;
  before(() => {
    tools = installChartTools();
  });
  const read = (file: string) => readFileSync(k8s(file), 'utf8');
  const parse = (file: string): KubeObject[] => parseManifests(tools, read(file));

  for (const file of ['strimzi/kafka.yaml', 'mysql/mysql.yaml']) {
    it(`${file} validates strictly against Kubernetes 1.34 and the Strimzi CRDs`, () => {
      const summary = conform(tools, read(file));
      assert.equal(summary.invalid + summary.errors + summary.skipped, 0, summary.report);
      assert.equal(summary.valid, parse(file).length);
    });
  }

  it('runs Kafka in KRaft mode: one node pool, broker and controller, one replica, replication 1', () => {
    const objects = parse('strimzi/kafka.yaml');
    const pool = objects.find((o) => o.kind === 'KafkaNodePool');
    const kafka = objects.find((o) => o.kind === 'Kafka');
    assert.ok(pool && kafka);
    assert.equal(pool.spec?.replicas, 1);
    assert.deepEqual([...(pool.spec.roles as string[])].sort(), ['broker', 'controller']);
    assert.equal(pool.metadata.labels?.['strimzi.io/cluster'], kafka.metadata.name);
    const config = (kafka.spec?.kafka as { config: Record<string, unknown> }).config;
    assert.equal(config['default.replication.factor'], 1);
    assert.equal(config['offsets.topic.replication.factor'], 1);
  });

  it('the chart with k8s/values-dev.yaml renders, validates, and points at that Kafka and MySQL', () => {
    const rendered = run(tools.helm, ['template', 'fcfs', chartDir, '-n', 'fcfs-campaign', '--kube-version', '1.34.0', '-f', k8s('values-dev.yaml')]);
    assert.equal(rendered.status, 0, rendered.stderr);
    const summary = conform(tools, rendered.stdout);
    assert.equal(summary.invalid + summary.errors + summary.skipped, 0, summary.report);
    const objects = parseManifests(tools, rendered.stdout);
    const kafka = parse('strimzi/kafka.yaml').find((o) => o.kind === 'Kafka');
    for (const topic of objects.filter((o) => o.kind === 'KafkaTopic')) assert.equal(topic.metadata.labels?.['strimzi.io/cluster'], kafka?.metadata.name);
    const mysql = parse('mysql/mysql.yaml').find((o) => o.kind === 'Service');
    const api = objects.find((o) => o.kind === 'Deployment');
    const env = (api?.spec?.template as { spec: { containers: { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string } } }[] }[] } }).spec.containers[0]?.env ?? [];
    assert.equal(env.find((e) => e.name === 'DB_HOST')?.value, mysql?.metadata.name);
    assert.equal(env.find((e) => e.name === 'DB_PASSWORD')?.valueFrom?.secretKeyRef.name, 'mysql-credentials');
    assert.match(read('mysql/mysql.yaml'), /secretKeyRef: \{name: mysql-credentials, key: password\}/);
    assert.match(read('up.sh'), /create secret generic mysql-credentials/);
  });

  it('publishes the NodePort the chart uses through the kind config', () => {
    const [cluster] = parseManifests(tools, read('kind/cluster.yaml')) as unknown as [{ kind: string; nodes: { extraPortMappings: { containerPort: number }[] }[] }];
    assert.equal(cluster.kind, 'Cluster');
    const ports = cluster.nodes.flatMap((n) => n.extraPortMappings.map((m) => m.containerPort));
    const [values] = parseManifests(tools, read('values-dev.yaml')) as unknown as [{ api: { service: { nodePort: number } } }];
    assert.ok(ports.includes(values.api.service.nodePort));
  });

  it('has shell scripts and values files that parse', () => {
    for (const script of ['up.sh', 'down.sh', 'minikube/profile.env']) {
      const result = run('bash', ['-n', k8s(script)]);
      assert.equal(result.status, 0, `${script}: ${result.stderr}`);
    }
    for (const values of ['strimzi/operator-values.yaml', 'monitoring/kube-prometheus-stack-values.yaml']) {
      assert.equal(parseManifests(tools, read(values)).length, 1, values);
    }
  });
});
