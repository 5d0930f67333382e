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

  it('up.sh expands no array that may be empty in a way bash 3.2 refuses under set -u', () => {
    const script = read('up.sh');
    assert.match(script, /^set -euo pipefail$/m);
    // every "${name[@]}" must sit inside the ${name[@]+...} guard, which expands to nothing when empty
    const code = script.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n');
    const bare = [...code.matchAll(/(\$\{(\w+)\[@\]\+)?"\$\{(\w+)\[@\]\}"/g)].filter((m) => m[2] !== m[3]).map((m) => m[0]);
    assert.deepEqual(bare, [], 'unguarded array expansions');
    assert.match(script, /\$\{chart_flags\[@\]\+"\$\{chart_flags\[@\]\}"\}/, 'the optional chart flags are guarded');
    // and it really expands to nothing for an empty array, with set -u, in the bash at hand
    const guarded = run('bash', ['-c', 'set -u; a=(); printf "<%s>" ${a[@]+"${a[@]}"} x; a+=("y z"); printf "<%s>" ${a[@]+"${a[@]}"}']);
    assert.equal(guarded.status, 0, guarded.stderr);
    assert.equal(guarded.stdout, '<x><y z>');
  });

  it('up.sh gives kind a metrics-server for the HPA, pinned, with --kubelet-insecure-tls; minikube its addon', () => {
    const script = read('up.sh');
    assert.match(script, /METRICS_SERVER_CHART_VERSION="\$\{METRICS_SERVER_CHART_VERSION:-\d+\.\d+\.\d+\}"/);
    const install = /helm upgrade --install metrics-server metrics-server\/metrics-server --version "\$\{METRICS_SERVER_CHART_VERSION\}"[^\n]*\\\n[^\n]*--kubelet-insecure-tls/.exec(script);
    assert.ok(install, 'metrics-server installed with its pinned chart and --kubelet-insecure-tls');
    assert.ok(script.lastIndexOf('if [[ "${CLUSTER}" == kind ]]', install.index) > script.lastIndexOf('\nfi\n', install.index), 'for kind only');
    assert.match(read('minikube/profile.env'), /^MINIKUBE_ADDONS=.*\bmetrics-server\b/m);
    const values = parseManifests(tools, read('values-dev.yaml'))[0] as unknown as { api?: { autoscaling?: { enabled?: boolean } } };
    assert.notEqual(values.api?.autoscaling?.enabled, false, 'the HPA is on there');
  });

  it('up.sh tags every build by its content and installs that tag, so a re-run with pullPolicy Never rolls the pods', () => {
    const script = read('up.sh');
    assert.match(script, /IMAGE_TAG="dev-\$\(docker image inspect --format '\{\{\.Id\}\}'/);
    assert.match(script, /kind load docker-image "\$\{IMAGE_REPOSITORY\}:\$\{IMAGE_TAG\}"/);
    assert.match(script, /minikube -p "\$\{MINIKUBE_PROFILE\}" image load "\$\{IMAGE_REPOSITORY\}:\$\{IMAGE_TAG\}"/);
    assert.match(script, /helm upgrade --install "\$\{RELEASE\}" [^\n]*\\\n[^\n]*--set-string image\.tag="\$\{IMAGE_TAG\}"/);
    const values = parseManifests(tools, read('values-dev.yaml'))[0] as unknown as { image: { repository: string; pullPolicy: string } };
    assert.equal(values.image.pullPolicy, 'Never');
    assert.match(script, new RegExp(`^IMAGE_REPOSITORY=${values.image.repository}$`, 'm'));
  });

  it('pins kube-prometheus-stack and the kind node image by digest', () => {
    assert.match(read('up.sh'), /KUBE_PROMETHEUS_STACK_VERSION="\$\{KUBE_PROMETHEUS_STACK_VERSION:-\d+\.\d+\.\d+\}"/);
    assert.match(read('up.sh'), /kube-prometheus-stack \\\n\s+--version "\$\{KUBE_PROMETHEUS_STACK_VERSION\}"/);
    const [cluster] = parseManifests(tools, read('kind/cluster.yaml')) as unknown as [{ nodes: { image: string }[] }];
    for (const node of cluster.nodes) assert.match(node.image, /^kindest\/node:v1\.34\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it('gives MySQL a startup probe, so liveness cannot kill a slow first start', () => {
    const set = parse('mysql/mysql.yaml').find((o) => o.kind === 'StatefulSet');
    type Probe = { periodSeconds?: number; failureThreshold?: number; initialDelaySeconds?: number };
    const [mysql] = (set?.spec?.template as { spec: { containers: { startupProbe?: Probe; livenessProbe?: Probe }[] } }).spec.containers;
    assert.ok(mysql?.startupProbe, 'a startupProbe');
    assert.ok((mysql.startupProbe.periodSeconds ?? 10) * (mysql.startupProbe.failureThreshold ?? 3) >= 300, 'at least 5 minutes to start');
    assert.equal(mysql.livenessProbe?.initialDelaySeconds, undefined, 'liveness waits for the startup probe, not a fixed delay');
  });

  it('up.sh applies the CRDs of the Strimzi version it installs, server-side, before the operator', () => {
    const script = read('up.sh');
    const crds = script.indexOf('helm show crds oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "${STRIMZI_VERSION}"');
    assert.ok(crds > 0, 'the CRDs of the chart version installed');
    assert.match(script.slice(crds), /^[^\n]*\\\n\s+\| kubectl apply --server-side --force-conflicts -f -/);
    assert.ok(crds < script.indexOf('helm upgrade --install strimzi'), 'before the operator is upgraded');
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
