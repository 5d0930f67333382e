import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { chartDir, conform, dryRun, installChartTools, parseManifests, run, template, type ChartTools, type KubeObject } from './support/chart.js';

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
}

function podSpecOf(o: KubeObject): PodSpec | undefined {
  const spec = o.spec;
  if (o.kind === 'Pod') return spec as unknown as PodSpec;
  if (o.kind === 'CronJob') {
    const job = (spec?.jobTemplate as { spec: { template: { spec: PodSpec } } } | undefined)?.spec;
    return job?.template.spec;
  }
  return (spec?.template as { spec?: PodSpec } | undefined)?.spec;
}

function find(objects: readonly KubeObject[], kind: string, nameSuffix = ''): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  assert.ok(found, `no ${kind} named *${nameSuffix} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

function envOf(o: KubeObject): Map<string, string | undefined> {
  const container = podSpecOf(o)?.containers[0];
  return new Map((container?.env ?? []).map((e) => [e.name, e.value]));
}

const valueSets: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['defaults', []],
  ['external Kafka and database', ['external.yaml']],
  ['Strimzi off, in-cluster database', ['strimzi-off.yaml']],
  ['monitoring and network policies on', ['monitoring.yaml']],
  ['HPA off', ['hpa-off.yaml']],
  ['partition experiment', ['partition-experiment.yaml']],
  ['Campaign controller on, aggregation in the API', ['operator.yaml']],
  ['k6 load test as a Job', ['loadtest-job.yaml']],
  ['k6 load test as a k6-operator TestRun', ['loadtest-testrun.yaml']],
  ['numbers of seven digits and more', ['large-numbers.yaml']],
];

describe('Helm chart (static)', () => {
  let tools: ChartTools;
  const rendered = new Map<string, KubeObject[]>();
  before(() => {
    tools = installChartTools();
  });

  it('passes helm lint --strict', () => {
    const result = run(tools.helm, ['lint', '--strict', chartDir]);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  for (const [label, files] of valueSets) {
    it(`renders and validates strictly against Kubernetes 1.34 and the CRDs: ${label}`, () => {
      const result = template(tools, files);
      assert.equal(result.status, 0, result.stderr);
      const objects = parseManifests(tools, result.stdout);
      rendered.set(label, objects);
      const summary = conform(tools, result.stdout);
      assert.equal(summary.invalid + summary.errors + summary.skipped, 0, summary.report);
      assert.equal(summary.valid, objects.length);
    });
  }

  const objectsOf = (label: string): KubeObject[] => {
    const objects = rendered.get(label);
    assert.ok(objects, `${label} was not rendered`);
    return objects;
  };

  it('hardens every pod: non-root, read-only root, no escalation, no capabilities, RuntimeDefault seccomp, requests and limits, an API token only where the Kubernetes API is called', () => {
    for (const [label] of valueSets) {
      for (const o of objectsOf(label)) {
        const pod = podSpecOf(o);
        if (!pod) continue;
        const where = `${label}: ${o.kind}/${o.metadata.name}`;
        assert.equal(pod.securityContext?.runAsNonRoot, true, where);
        assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' }, where);
        const env = envOf(o);
        const callsKubernetes = o.metadata.name.endsWith('-operator') || env.get('AGGREGATION_RUNNER') === 'aggregation-run' || env.has('KAFKA_TOPIC_RESOURCE');
        assert.equal(pod.automountServiceAccountToken, callsKubernetes, where);
        for (const c of pod.containers) {
          assert.equal(c.securityContext?.readOnlyRootFilesystem, true, where);
          assert.equal(c.securityContext.allowPrivilegeEscalation, false, where);
          assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] }, where);
          assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory, `${where}: requests`);
          assert.ok(c.resources.limits?.cpu && c.resources.limits.memory, `${where}: limits`);
        }
      }
    }
  });

  describe('keeps every name and label value within what Kubernetes accepts, for long release names', () => {
    const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    // what the controllers append: CronJob → Job -<8 digits>, StatefulSet pods' controller-revision-hash -<10>, TestRun → -initializer
    const maxName: Record<string, number> = { CronJob: 52, StatefulSet: 52, TestRun: 51 };
    const labelsIn = (value: unknown, found: Array<[string, unknown]> = []): Array<[string, unknown]> => {
      if (Array.isArray(value)) for (const v of value) labelsIn(v, found);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if ((k === 'labels' || k === 'matchLabels') && v && typeof v === 'object') found.push(...Object.entries(v as Record<string, unknown>));
          else labelsIn(v, found);
        }
      }
      return found;
    };
    const everything = ['loadtest.runId=rush-2026-11-20-1800', 'operator.enabled=true', 'monitoring.serviceMonitor.enabled=true', 'monitoring.prometheusRule.enabled=true', 'monitoring.dashboards.enabled=true', 'networkPolicy.enabled=true'];
    const cases: ReadonlyArray<readonly [string, string, readonly string[]]> = [
      ['release checkout-campaigns-production, load test as a Job', 'checkout-campaigns-production', [...everything, 'loadtest.enabled=true', 'loadtest.runner=job']],
      ['release checkout-campaigns-production, load test as a TestRun', 'checkout-campaigns-production', [...everything, 'loadtest.enabled=true', 'loadtest.runner=testRun']],
      ['a fullnameOverride of 63 characters', 'fcfs', [...everything, 'loadtest.enabled=true', `fullnameOverride=${'checkout-campaigns-production-eu-west-1-fcfs-campaign-blue-green'.slice(0, 63)}`]],
    ];
    for (const [label, release, sets] of cases) {
      it(label, () => {
        const result = template(tools, [], sets, { release });
        assert.equal(result.status, 0, result.stderr);
        const summary = conform(tools, result.stdout);
        assert.equal(summary.invalid + summary.errors + summary.skipped, 0, summary.report);
        const objects = parseManifests(tools, result.stdout);
        const seen = new Set<string>();
        for (const o of objects) {
          const { name } = o.metadata;
          const where = `${o.kind}/${name}`;
          assert.ok(!seen.has(where), `${where} twice`);
          seen.add(where);
          assert.match(name, dnsLabel, where);
          assert.ok(name.length <= (maxName[o.kind] ?? 63), `${where}: ${name.length} characters, over ${maxName[o.kind] ?? 63}`);
          for (const [key, value] of labelsIn(o)) {
            assert.equal(typeof value, 'string', `${where}: label ${key}`);
            assert.ok(String(value).length <= 63 && labelValue.test(String(value)), `${where}: label ${key}=${String(value)}`);
          }
        }
        const cron = find(objects, 'CronJob');
        assert.equal(envOf(find(objects, 'Deployment', '-api')).get('AGGREGATION_RUN_PREFIX'), cron.metadata.name);
        assert.equal(envOf(find(objects, 'Deployment', '-operator')).get('OPERATOR_AGGREGATION_CRONJOB'), cron.metadata.name);
        const statefulSet = find(objects, 'StatefulSet');
        assert.equal(statefulSet.spec?.serviceName, find(objects, 'Service', '-consumer').metadata.name);
      });
    }

    it('names that fit stay as they were', () => {
      assert.deepEqual(objectsOf('defaults').filter((o) => o.metadata.name.startsWith('fcfs-')).every((o) => o.metadata.name.startsWith('fcfs-fcfs-campaign-')), true);
      const result = template(tools, [], [], { release: 'checkout-campaigns-production' });
      const names = parseManifests(tools, result.stdout).map((o) => `${o.kind}/${o.metadata.name}`);
      assert.ok(names.includes('Deployment/checkout-campaigns-production-fcfs-campaign-api'), names.join(', '));
      assert.ok(names.includes('StatefulSet/checkout-campaigns-production-fcfs-campaign-consumer'), names.join(', '));
      assert.ok(names.some((n) => /^CronJob\/checkout-campaigns-production-fcfs-[0-9a-f]{5}-aggregator$/.test(n)), names.join(', '));
    });
  });

  it('gives each deployable its own service account and binds the API to what it calls: AggregationRuns, the KafkaTopic', () => {
    const objects = objectsOf('defaults');
    const accounts = objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name).sort();
    assert.deepEqual(accounts, ['fcfs-fcfs-campaign-aggregator', 'fcfs-fcfs-campaign-api', 'fcfs-fcfs-campaign-consumer', 'fcfs-fcfs-campaign-migrations', 'fcfs-fcfs-campaign-operator']);
    assert.deepEqual(objects.filter((o) => /Role/.test(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`), [
      'Role/fcfs-fcfs-campaign-api',
      'Role/fcfs-fcfs-campaign-api-kafkatopic',
      'Role/fcfs-fcfs-campaign-operator',
      'RoleBinding/fcfs-fcfs-campaign-api',
      'RoleBinding/fcfs-fcfs-campaign-api-kafkatopic',
      'RoleBinding/fcfs-fcfs-campaign-operator',
    ]);
    const topicRole = find(objects, 'Role', '-api-kafkatopic') as KubeObject & { rules: unknown };
    assert.deepEqual(topicRole.rules, [{ apiGroups: ['kafka.strimzi.io'], resources: ['kafkatopics'], resourceNames: ['campaign-participation'], verbs: ['get'] }]);
    const role = find(objects, 'Role', '-api') as KubeObject & { rules: unknown };
    assert.deepEqual(role.rules, [{ apiGroups: ['fcfs.dev'], resources: ['aggregationruns'], verbs: ['create'] }]);
    const env = envOf(find(objects, 'Deployment', '-api'));
    assert.equal(env.get('AGGREGATION_RUNNER'), 'aggregation-run');
    assert.equal(env.get('AGGREGATION_RUN_PREFIX'), find(objects, 'CronJob', '-aggregator').metadata.name);
    assert.ok(env.has('POD_NAMESPACE'));
    assert.equal(env.get('KAFKA_TOPIC_RESOURCE'), 'campaign-participation');
    for (const kind of ['Deployment', 'StatefulSet', 'CronJob', 'Job']) {
      const pod = podSpecOf(find(objects, kind));
      assert.ok(pod?.serviceAccountName && accounts.includes(pod.serviceAccountName), kind);
    }
  });

  const assertOperator = (objects: readonly KubeObject[]) => {
    assert.deepEqual(objects.filter((o) => o.kind.startsWith('Cluster')), [], 'nothing cluster-wide');
    const role = find(objects, 'Role', '-operator') as KubeObject & { rules: unknown };
    assert.deepEqual(role.rules, [
      { apiGroups: ['fcfs.dev'], resources: ['campaigns'], verbs: ['list', 'watch', 'create', 'patch'] },
      { apiGroups: ['fcfs.dev'], resources: ['campaigns/status'], verbs: ['patch'] },
      { apiGroups: ['fcfs.dev'], resources: ['aggregationruns'], verbs: ['list', 'watch', 'patch'] },
      { apiGroups: ['fcfs.dev'], resources: ['aggregationruns/status'], verbs: ['patch'] },
      { apiGroups: ['batch'], resources: ['cronjobs'], resourceNames: ['fcfs-fcfs-campaign-aggregator'], verbs: ['get'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['create', 'get'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], resourceNames: ['fcfs-fcfs-campaign-api'], verbs: ['get', 'patch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['fcfs-fcfs-campaign-operator'], verbs: ['get', 'patch'] },
    ]);
    const binding = find(objects, 'RoleBinding', '-operator') as KubeObject & { subjects: { name: string }[]; roleRef: { name: string } };
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects.map((x) => x.name), ['fcfs-fcfs-campaign-operator']);
    const deployment = find(objects, 'Deployment', '-operator');
    assert.equal(deployment.spec?.replicas, 2);
    assert.equal(podSpecOf(deployment)?.serviceAccountName, 'fcfs-fcfs-campaign-operator');
    assert.deepEqual(podSpecOf(deployment)?.containers[0]?.args, ['operator']);
    const env = envOf(deployment);
    assert.equal(env.get('OPERATOR_LEASE_NAME'), 'fcfs-fcfs-campaign-operator');
    assert.ok(env.has('OPERATOR_IDENTITY'), 'the pod name identifies the instance in the Lease');
    assert.ok(env.get('OPERATOR_NAMESPACE'));
    const hpa = find(objects, 'HorizontalPodAutoscaler', '-api');
    assert.equal(env.get('OPERATOR_API_HPA'), hpa.metadata.name, 'the one HPA it may patch');
    assert.equal(env.get('OPERATOR_API_HPA_FLOOR'), String((hpa.spec as { minReplicas: number }).minReplicas), 'the floor it gives back is the one the chart renders');
  };

  it('ships CRDs that parse and validate as CustomResourceDefinitions (helm template leaves crds/ out)', () => {
    const dir = path.join(chartDir, 'crds');
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(files, ['aggregationruns.fcfs.dev.yaml', 'campaigns.fcfs.dev.yaml']);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const crd = parseYaml(text) as { kind: string; metadata: { name: string } };
      assert.equal(`${crd.kind}/${crd.metadata.name}`, `CustomResourceDefinition/${file.replace(/\.yaml$/, '')}`);
      const summary = conform(tools, text);
      assert.equal(summary.valid, 1, `${file}: ${summary.report}`);
    }
  });

  it('lets no API Role make a workload (Jobs go through the operator, whose Role may create them), with any value set', () => {
    interface Rule { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[] }
    const allows = (rules: readonly Rule[], group: string, resource: string, verb: string) =>
      rules.some((r) => [group, '*'].some((g) => r.apiGroups?.includes(g)) && [resource, '*'].some((x) => r.resources?.includes(x)) && [verb, '*'].some((v) => r.verbs?.includes(v)) && !r.resourceNames);
    const workloads: [string, string][] = [['', 'pods'], ['batch', 'jobs'], ['batch', 'cronjobs'], ['apps', 'deployments'], ['apps', 'statefulsets'], ['apps', 'daemonsets'], ['apps', 'replicasets'], ['', 'replicationcontrollers']];
    for (const [label] of valueSets) {
      const objects = objectsOf(label);
      const roles = objects.filter((o) => o.kind === 'Role') as (KubeObject & { rules: Rule[] })[];
      const apiRoles = roles.filter((r) => r.metadata.name.includes('-api'));
      for (const role of apiRoles) {
        for (const [group, resource] of workloads) {
          for (const verb of ['create', 'update', 'patch']) assert.equal(allows(role.rules, group, resource, verb), false, `${label}: ${role.metadata.name} may ${verb} ${resource}`);
        }
      }
      const operator = roles.find((r) => r.metadata.name.endsWith('-operator'));
      if (operator) assert.equal(allows(operator.rules, 'batch', 'jobs', 'create'), true, `${label}: the operator makes the aggregation Jobs`);
    }
    assert.ok(valueSets.some(([label]) => objectsOf(label).some((o) => o.kind === 'Role' && o.metadata.name === 'fcfs-fcfs-campaign-api')), 'some value set gives the API a Role of its own');
  });

  it('runs the Campaign controller by default: its Deployment of two elected instances, its account, Role and Lease rights', async () => {
    assertOperator(objectsOf('defaults'));
    assert.match((await dryRun(tools, 1, [])).notes, /The Campaign controller runs \(2 instances.*kubectl -n campaign get campaigns/s);
    assert.match((await dryRun(tools, 1, [], ['operator.enabled=false'])).notes, /The Campaign controller is off/);
    const off = parseManifests(tools, template(tools, [], ['operator.enabled=false']).stdout);
    assert.deepEqual(off.filter((o) => o.metadata.name.endsWith('-operator')).map((o) => o.kind), [], 'operator.enabled=false renders none of it');
  });

  it('binds the Campaign controller to exactly the verbs it uses, in the release namespace, and elects it through a Lease', () => {
    const objects = objectsOf('Campaign controller on, aggregation in the API');
    assert.deepEqual(objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.name).sort(), ['fcfs-fcfs-campaign-api-kafkatopic', 'fcfs-fcfs-campaign-operator'], 'the API creates no AggregationRuns here');
    assert.equal(envOf(find(objects, 'Deployment', '-api')).get('AGGREGATION_RUNNER'), undefined);
    assertOperator(objects);
    find(objects, 'NetworkPolicy', '-operator');
  });

  it('gives Campaign warmups the API autoscaler and nothing else: no HPA, no HPA rights and no warmup settings without autoscaling', () => {
    const off = parseManifests(tools, template(tools, [], ['api.autoscaling.enabled=false']).stdout);
    const role = find(off, 'Role', '-operator') as KubeObject & { rules: { resources: string[] }[] };
    assert.equal(role.rules.some((r) => r.resources.includes('horizontalpodautoscalers')), false);
    const env = envOf(find(off, 'Deployment', '-operator'));
    assert.equal(env.has('OPERATOR_API_HPA'), false);
    assert.equal(env.has('OPERATOR_API_HPA_FLOOR'), false);
    const floor = parseManifests(tools, template(tools, [], ['api.autoscaling.minReplicas=3']).stdout);
    assert.equal(envOf(find(floor, 'Deployment', '-operator')).get('OPERATOR_API_HPA_FLOOR'), '3');
  });

  it('autoscales the API for rushes: immediate steep scale-up, slow scale-down; replaceable as a value', () => {
    const hpa = find(objectsOf('defaults'), 'HorizontalPodAutoscaler', '-api') as KubeObject & { spec: { behavior: unknown } };
    assert.deepEqual(hpa.spec.behavior, {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    });
    const none = find(parseManifests(tools, template(tools, [], ['api.autoscaling.behavior=null']).stdout), 'HorizontalPodAutoscaler', '-api') as KubeObject & { spec: { behavior?: unknown } };
    assert.equal(none.spec.behavior, undefined, "null: Kubernetes' defaults");
  });

  it("spreads the API's pods over nodes by default, preferring (ScheduleAnyway), selecting its own pods unless told otherwise", () => {
    interface Spread { topologyKey: string; whenUnsatisfiable: string; maxSkew: number; labelSelector?: { matchLabels?: Record<string, string> } }
    const spreadOf = (objects: readonly KubeObject[]) => (podSpecOf(find(objects, 'Deployment', '-api')) as unknown as { topologySpreadConstraints?: Spread[] }).topologySpreadConstraints;
    const selector = (find(objectsOf('defaults'), 'Deployment', '-api').spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    assert.deepEqual(spreadOf(objectsOf('defaults')), [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }]);
    const zones = parseManifests(tools, template(tools, [], [
      'api.topologySpreadConstraints[0].maxSkew=2',
      'api.topologySpreadConstraints[0].topologyKey=topology.kubernetes.io/zone',
      'api.topologySpreadConstraints[0].whenUnsatisfiable=DoNotSchedule',
      'api.topologySpreadConstraints[0].labelSelector.matchLabels.team=rush',
    ]).stdout);
    assert.deepEqual(spreadOf(zones), [{ maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { team: 'rush' } } }]);
    assert.equal(spreadOf(parseManifests(tools, template(tools, [], ['api.topologySpreadConstraints=null']).stdout)), undefined);
  });

  it('rolls the API without dropping requests: surge before unavailability, preStop pause, probes on the real endpoints, grace above the drain', () => {
    const api = find(objectsOf('defaults'), 'Deployment', '-api');
    const strategy = (api.spec?.strategy as { rollingUpdate: { maxUnavailable: number } }).rollingUpdate;
    assert.equal(strategy.maxUnavailable, 0);
    const pod = podSpecOf(api);
    const c = pod?.containers[0];
    assert.deepEqual(c?.args, ['api']);
    assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
    assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(c.startupProbe?.httpGet?.path, '/healthz');
    const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
    assert.ok(preStop > 0);
    const shutdownMs = Number(envOf(api).get('SHUTDOWN_TIMEOUT_MS'));
    assert.ok((pod?.terminationGracePeriodSeconds ?? 0) > preStop + shutdownMs / 1000);
    assert.equal(envOf(api).get('HOST'), '0.0.0.0');
    assert.equal(api.spec?.replicas, undefined, 'the HPA owns the replica count');
    const hpa = find(objectsOf('defaults'), 'HorizontalPodAutoscaler');
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
  });

  it('lets a node drain evict unready API pods: the PodDisruptionBudget counts only healthy ones', () => {
    const pdb = find(objectsOf('defaults'), 'PodDisruptionBudget', '-api');
    assert.equal(pdb.spec?.minAvailable, 1);
    assert.equal(pdb.spec.unhealthyPodEvictionPolicy, 'AlwaysAllow');
  });

  it('limits each user by default but not each address, which an ingress or a SNAT shares among every client', async () => {
    const env = envOf(find(objectsOf('defaults'), 'Deployment', '-api'));
    assert.equal(env.get('RATE_LIMIT_ENABLED'), 'true');
    assert.equal(env.get('RATE_LIMIT_USER_PER_SEC'), '5');
    assert.equal(env.get('TRUST_PROXY'), '0');
    // the API's largest values: no bucket a replica could empty
    assert.equal(env.get('RATE_LIMIT_ADDRESS_PER_SEC'), '1000000');
    assert.equal(env.get('RATE_LIMIT_ADDRESS_BURST'), '1000000');
    assert.equal(find(objectsOf('defaults'), 'Service', '-api').spec?.externalTrafficPolicy, undefined);
    const installed = await dryRun(tools, 1, []);
    assert.match(installed.notes, /per-address limit is off/);
    assert.match(installed.notes, /ingress-nginx.*api\.trustProxy=1/s);
    assert.match(installed.notes, /externalTrafficPolicy=Local/);

    const ingress = template(tools, [], ['api.rateLimit.addressEnabled=true', 'api.trustProxy=1']);
    assert.equal(ingress.status, 0, ingress.stderr);
    const ingressEnv = envOf(find(parseManifests(tools, ingress.stdout), 'Deployment', '-api'));
    assert.equal(ingressEnv.get('RATE_LIMIT_ADDRESS_PER_SEC'), '1000');
    assert.equal(ingressEnv.get('RATE_LIMIT_ADDRESS_BURST'), '2000');
    assert.equal(ingressEnv.get('TRUST_PROXY'), '1');
    const local = template(tools, [], ['api.service.type=LoadBalancer', 'api.service.externalTrafficPolicy=Local']);
    assert.equal(local.status, 0, local.stderr);
    assert.equal(find(parseManifests(tools, local.stdout), 'Service', '-api').spec?.externalTrafficPolicy, 'Local');
    const shared = await dryRun(tools, 1, [], ['api.rateLimit.addressEnabled=true']);
    assert.match(shared.notes, /WARNING: the per-address rate limit is on with api\.trustProxy=0/);
  });

  it('takes the admin token from a Secret, and keeps the database password out of the manifests', () => {
    const api = find(objectsOf('defaults'), 'Deployment', '-api');
    const env = podSpecOf(api)?.containers[0]?.env ?? [];
    assert.deepEqual(env.find((e) => e.name === 'ADMIN_TOKEN')?.valueFrom, { secretKeyRef: { name: 'fcfs-fcfs-campaign-admin-token', key: 'admin-token' } });
    const secret = find(objectsOf('defaults'), 'Secret', '-admin-token') as KubeObject & { data: Record<string, string> };
    assert.ok(Buffer.from(secret.data['admin-token'] ?? '', 'base64').length >= 32, 'a generated token of 40 characters');
    assert.ok(env.find((e) => e.name === 'DB_PASSWORD')?.valueFrom);
    const external = objectsOf('external Kafka and database');
    assert.deepEqual(external.filter((o) => o.kind === 'Secret' && !o.metadata.annotations?.['helm.sh/hook']), [], 'existing Secrets are used, none created');
    const externalEnv = podSpecOf(find(external, 'Deployment'))?.containers[0]?.env ?? [];
    assert.deepEqual(externalEnv.find((e) => e.name === 'DB_PASSWORD')?.valueFrom, { secretKeyRef: { name: 'campaign-db', key: 'password' } });
    assert.deepEqual(externalEnv.find((e) => e.name === 'ADMIN_TOKEN')?.valueFrom, { secretKeyRef: { name: 'campaign-admin', key: 'admin-token' } });
  });

  it('renders the same manifests every time with an existing admin token Secret (GitOps), and refuses a token the API would refuse', () => {
    const gitops = ['adminToken.existingSecret=campaign-admin'];
    const first = template(tools, [], gitops);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(template(tools, [], gitops).stdout, first.stdout, 'a second render is byte for byte the first');
    const objects = parseManifests(tools, first.stdout);
    assert.deepEqual(objects.filter((o) => o.kind === 'Secret' && o.metadata.name.endsWith('-admin-token')), []);
    assert.deepEqual(podSpecOf(find(objects, 'Deployment', '-api'))?.containers[0]?.env?.find((e) => e.name === 'ADMIN_TOKEN')?.valueFrom, { secretKeyRef: { name: 'campaign-admin', key: 'admin-token' } });
    // the generated default is for helm install, which keeps it on upgrade through lookup; a render without a cluster draws a new one
    assert.notEqual(template(tools, []).stdout, template(tools, []).stdout);

    const short = template(tools, [], ['adminToken.value=too-short']);
    assert.notEqual(short.status, 0);
    assert.match(short.stderr, /adminToken\.value has 9 characters: the API refuses a token shorter than 16/);
    const both = template(tools, [], ['adminToken.value=a-token-of-enough-length', 'adminToken.existingSecret=campaign-admin']);
    assert.notEqual(both.status, 0);
    assert.match(both.stderr, /adminToken\.value and adminToken\.existingSecret are both set/);
  });

  it('runs exactly one consumer, in a StatefulSet whose grace period exceeds its shutdown timeout', () => {
    const consumer = find(objectsOf('defaults'), 'StatefulSet', '-consumer');
    assert.equal(consumer.spec?.replicas, 1);
    const pod = podSpecOf(consumer);
    assert.ok((pod?.terminationGracePeriodSeconds ?? 0) > Number(envOf(consumer).get('SHUTDOWN_TIMEOUT_MS')) / 1000);
    assert.equal(envOf(consumer).get('CONSUMER_ALLOW_MULTIPLE_PARTITIONS'), 'false');
    assert.equal(envOf(consumer).get('CONSUMER_PARTITIONS_CONCURRENTLY'), '1');
    assert.equal(envOf(find(objectsOf('defaults'), 'Deployment', '-api')).get('PARTITION_KEY'), 'user');
    // the experiment: still one consumer, one decider per partition inside it, campaigns kept whole
    const experiment = find(objectsOf('partition experiment'), 'StatefulSet');
    assert.equal(experiment.spec?.replicas, 1);
    assert.equal(envOf(experiment).get('CONSUMER_ALLOW_MULTIPLE_PARTITIONS'), 'true');
    assert.equal(envOf(experiment).get('CONSUMER_PARTITIONS_CONCURRENTLY'), '4');
    assert.equal(envOf(find(objectsOf('partition experiment'), 'Deployment', '-api')).get('PARTITION_KEY'), 'campaign');
  });

  it('replaces a stalled consumer at once (Parallel), in the Guaranteed QoS class, with a priority class when given', async () => {
    const consumer = find(objectsOf('defaults'), 'StatefulSet', '-consumer');
    assert.equal(consumer.spec?.podManagementPolicy, 'Parallel');
    const pod = podSpecOf(consumer) as PodSpec & { priorityClassName?: string };
    const resources = pod.containers[0]?.resources;
    assert.ok(resources?.requests?.cpu && resources.requests.memory);
    assert.deepEqual(resources.requests, resources.limits, 'requests equal to limits: Guaranteed');
    assert.equal(pod.priorityClassName, undefined);
    const prioritized = template(tools, [], ['consumer.priorityClassName=fcfs-decider']);
    assert.equal(prioritized.status, 0, prioritized.stderr);
    assert.equal((podSpecOf(find(parseManifests(tools, prioritized.stdout), 'StatefulSet')) as { priorityClassName?: string }).priorityClassName, 'fcfs-decider');

    const installed = await dryRun(tools, 1, []);
    assert.equal(installed.status, 0, installed.stderr);
    assert.doesNotMatch(installed.notes, /Guaranteed/);
    const burstable = await dryRun(tools, 1, [], ['consumer.resources.requests.cpu=200m']);
    assert.equal(burstable.status, 0, burstable.stderr);
    assert.match(burstable.notes, /WARNING: consumer\.resources/);
    assert.match(burstable.notes, /Guaranteed/);
  });

  it('declares a one-partition Strimzi topic and its dead-letter topic, or uses external brokers', () => {
    const topics = objectsOf('defaults').filter((o) => o.kind === 'KafkaTopic');
    assert.deepEqual(topics.map((t) => t.metadata.name).sort(), ['campaign-participation', 'campaign-participation-dlq']);
    for (const t of topics) {
      assert.equal(t.apiVersion, 'kafka.strimzi.io/v1');
      assert.equal(t.metadata.labels?.['strimzi.io/cluster'], 'fcfs-kafka');
    }
    const participation = find(objectsOf('defaults'), 'KafkaTopic', 'participation');
    assert.equal(participation.spec?.partitions, 1);
    // retention is how long the consumer may be behind before accepted entries are lost
    assert.deepEqual(participation.spec.config, { 'min.insync.replicas': 1, 'retention.ms': 604800000, 'retention.bytes': -1 });
    assert.equal(envOf(find(objectsOf('defaults'), 'Deployment')).get('KAFKA_BROKERS'), 'fcfs-kafka-kafka-bootstrap.campaign.svc:9092');
    assert.equal(find(objectsOf('partition experiment'), 'KafkaTopic', 'participation').spec?.partitions, 4);
    const external = objectsOf('external Kafka and database');
    assert.deepEqual(external.filter((o) => o.kind === 'KafkaTopic'), []);
    assert.equal(envOf(find(external, 'Deployment')).get('KAFKA_BROKERS'), 'b-1.kafka.example.com:9092,b-2.kafka.example.com:9092');
    assert.equal(envOf(find(external, 'StatefulSet')).get('DB_HOST'), 'campaign.cluster-abc.eu-west-1.rds.amazonaws.com');
  });

  it('names a KafkaTopic object validly for any Kafka topic name, keeping the real name in spec.topicName', () => {
    const defaults = objectsOf('defaults').filter((o) => o.kind === 'KafkaTopic');
    for (const t of defaults) assert.equal(t.spec?.topicName, undefined, 'a valid object name is the topic name, as Strimzi advises');
    const result = template(tools, [], ['config.topic=Orders_V1']);
    assert.equal(result.status, 0, result.stderr);
    const summary = conform(tools, result.stdout);
    assert.equal(summary.invalid + summary.errors, 0, summary.report);
    const objects = parseManifests(tools, result.stdout);
    const topics = new Map(objects.filter((o) => o.kind === 'KafkaTopic').map((t) => [t.spec?.topicName, t.metadata.name]));
    assert.deepEqual([...topics.keys()].sort(), ['Orders_V1', 'Orders_V1-dlq']);
    const names = [...topics.values()];
    for (const name of names) assert.match(name, /^orders-v1(-dlq)?-[0-9a-f]{8}$/);
    assert.equal(new Set(names).size, 2);
    const api = envOf(find(objects, 'Deployment', '-api'));
    assert.equal(api.get('KAFKA_TOPIC'), 'Orders_V1');
    assert.equal(api.get('KAFKA_TOPIC_RESOURCE'), topics.get('Orders_V1'));
    const role = find(objects, 'Role', '-api-kafkatopic') as KubeObject & { rules: { resourceNames: string[] }[] };
    assert.deepEqual(role.rules[0]?.resourceNames, [topics.get('Orders_V1')]);
  });

  it('gives the aggregator its decided margin and catch-up look-back', () => {
    const env = envOf(find(objectsOf('defaults'), 'CronJob', '-aggregator'));
    assert.equal(env.get('AGGREGATION_DECIDED_MARGIN_MS'), '300000');
    assert.equal(env.get('AGGREGATION_CATCH_UP_DAYS'), '7');
  });

  it('renders numbers as digits: retention.ms, environment variables, integer fields', () => {
    const defaults = template(tools, []);
    assert.match(defaults.stdout, /^ {4}retention\.ms: 2592000000$/m);
    const large = objectsOf('numbers of seven digits and more');
    const api = envOf(find(large, 'Deployment', '-api'));
    assert.equal(api.get('AGGREGATION_STALE_AFTER_MS'), '86400000');
    assert.equal(api.get('PRODUCE_TIMEOUT_MS'), '1000000');
    assert.equal(api.get('RATE_LIMIT_ADDRESS_PER_SEC'), '1000000');
    assert.equal(api.get('RATE_LIMIT_USER_PER_SEC'), '0.5');
    const loadtest = large.find((o) => o.kind === 'Job' && o.metadata.labels?.['app.kubernetes.io/component'] === 'loadtest');
    assert.ok(loadtest);
    assert.equal(envOf(loadtest).get('PEAK_RATE'), '1000000');
    const cron = find(large, 'CronJob') as KubeObject & { spec: { jobTemplate: { spec: { activeDeadlineSeconds: unknown } } } };
    assert.equal(cron.spec.jobTemplate.spec.activeDeadlineSeconds, 1000000);
  });

  it('renders as a dependency of an umbrella chart, which hands it global values', () => {
    const result = template(tools, [], ['global.imageRegistry=registry.example.com']);
    assert.equal(result.status, 0, result.stderr);
  });

  it('schedules the aggregation at 02:00 in its zone, never twice at once, and migrates in a pre-install/pre-upgrade hook', () => {
    const cron = find(objectsOf('defaults'), 'CronJob');
    assert.equal(cron.spec?.schedule, '0 2 * * *');
    assert.equal(cron.spec.timeZone, 'UTC');
    assert.equal(cron.spec.concurrencyPolicy, 'Forbid');
    assert.ok(Number(cron.spec.startingDeadlineSeconds) > 0);
    assert.equal(find(objectsOf('HPA off'), 'CronJob').spec?.timeZone, 'Europe/Berlin');
    const migrate = find(objectsOf('defaults'), 'Job', '-migrations');
    assert.equal(migrate.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade');
    assert.deepEqual(podSpecOf(migrate)?.containers[0]?.args, ['migrate']);
    const hpaOff = find(objectsOf('HPA off'), 'Deployment');
    assert.equal(hpaOff.spec?.replicas, 3);
    assert.deepEqual(objectsOf('HPA off').filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget'), []);
  });

  it('adds ServiceMonitors, a PrometheusRule and NetworkPolicies only when switched on', () => {
    const kinds = (label: string) => objectsOf(label).map((o) => o.kind);
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'NetworkPolicy']) assert.ok(!kinds('defaults').includes(kind), kind);
    const on = objectsOf('monitoring and network policies on');
    assert.equal(on.filter((o) => o.kind === 'ServiceMonitor').length, 3);
    assert.equal(on.filter((o) => o.kind === 'PrometheusRule').length, 1);
    assert.equal(on.filter((o) => o.kind === 'NetworkPolicy').length, 3, 'api, consumer and the operator (on by default)');
    assert.equal(find(on, 'ServiceMonitor', '-api').metadata.labels?.release, 'kube-prometheus-stack');
  });

  it('scrapes the api, the consumer and the operator, each through a Service port of its own, labelled by component', () => {
    const on = objectsOf('monitoring and network policies on');
    type Monitor = KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; relabelings: unknown[] }[] } };
    type Service = KubeObject & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } };
    const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const component of ['api', 'consumer', 'operator']) {
      const monitor = find(on, 'ServiceMonitor', `-${component}`) as Monitor;
      const services = on.filter((o) => o.kind === 'Service' && matches(monitor.spec.selector.matchLabels, o.metadata.labels)) as Service[];
      assert.deepEqual(services.map((o) => o.metadata.name), [`fcfs-fcfs-campaign-${component}`], `${component}: the ServiceMonitor selects its one Service`);
      const [service] = services;
      assert.ok(service);
      const [endpoint] = monitor.spec.endpoints;
      const port = service.spec.ports.find((p) => p.name === endpoint?.port);
      assert.ok(port, `${component}: the ServiceMonitor's port ${endpoint?.port} is a port of the Service`);
      assert.deepEqual(endpoint?.relabelings, [{ targetLabel: 'component', replacement: component }]);
      const workload = on.find((o) => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name.endsWith(`-${component}`));
      const pod = workload?.spec?.template as { metadata: { labels: Record<string, string> }; spec: { containers: { ports?: { name: string }[] }[] } } | undefined;
      assert.ok(pod && matches(service.spec.selector, pod.metadata.labels), `${component}: the Service selects the pods`);
      assert.ok(pod.spec.containers[0]?.ports?.some((p) => p.name === port.targetPort), `${component}: the target port is the container's`);
    }
    const withoutOperator = parseManifests(tools, template(tools, ['monitoring.yaml'], ['operator.enabled=false']).stdout);
    assert.deepEqual(withoutOperator.filter((o) => o.kind === 'ServiceMonitor').map((o) => o.metadata.name).sort(), ['fcfs-fcfs-campaign-api', 'fcfs-fcfs-campaign-consumer']);
  });

  it('dashboards and alert rules select no label a ServiceMonitor scrape rewrites', () => {
    // A ServiceMonitor scrape sets service (and job, namespace, pod, instance) to the target's and
    // moves a process's own service label to exported_service; component is the chart's own.
    const rewritten = /\b(exported_)?(service|job|namespace|pod|container|endpoint)\s*(=|!=|=~|!~)\s*"/;
    const exprs: string[] = [];
    for (const file of readdirSync(path.join(chartDir, 'dashboards')).filter((f) => f.endsWith('.json'))) {
      const collect = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(collect);
        else if (value && typeof value === 'object') {
          for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            if (k === 'expr' && typeof v === 'string') exprs.push(v);
            else collect(v);
          }
        }
      };
      collect(JSON.parse(readFileSync(path.join(chartDir, 'dashboards', file), 'utf8')));
    }
    const dashboardCount = exprs.length;
    assert.ok(dashboardCount > 20, `found the dashboards' queries (${dashboardCount})`);
    const rules = parseYaml(readFileSync(path.join(chartDir, 'rules', 'alerts.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
    exprs.push(...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)));
    assert.ok(exprs.length > dashboardCount + 15, 'and the rules\' expressions');
    for (const expr of exprs) assert.doesNotMatch(expr, rewritten, expr);
  });

  it('ships the generated dashboards as sidecar ConfigMaps and the generated alert rules', () => {
    const on = objectsOf('monitoring and network policies on') as unknown as {
      kind: string;
      metadata: { name: string; labels?: Record<string, string> };
      data?: Record<string, string>;
      spec?: { groups?: { rules: { alert?: string; annotations?: Record<string, string> }[] }[] };
    }[];
    const dashboards = on.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    assert.deepEqual(dashboards.map((d) => Object.keys(d.data ?? {})).flat().sort(), ['operations.json', 'overview.json']);
    for (const d of dashboards) for (const json of Object.values(d.data ?? {})) assert.match((JSON.parse(json) as { uid: string }).uid, /^fcfs-campaign-/);
    const alerts = (on.find((o) => o.kind === 'PrometheusRule')?.spec?.groups ?? []).flatMap((g) => g.rules).filter((r) => r.alert);
    assert.ok(alerts.length >= 10, 'every alert of observability/alerts.yml');
    for (const a of alerts) assert.equal(a.annotations?.runbook_url, `docs/runbook.md#${(a.alert ?? '').toLowerCase()}`);
  });

  describe('the k6 load test, on demand', () => {
    const loadtestDir = path.join(chartDir, 'loadtest');
    const scripts = readdirSync(loadtestDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();

    it('is off by default', () => {
      assert.deepEqual(objectsOf('defaults').filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'loadtest'), []);
    });

    it('ships every script of loadtest/ and its helper, as they are, in one ConfigMap', () => {
      assert.ok(lstatSync(loadtestDir).isSymbolicLink(), 'the chart links loadtest/ rather than keeping a copy');
      assert.ok(scripts.includes('lib.ts') && scripts.includes('rush.ts'), scripts.join(', '));
      const data = (find(objectsOf('k6 load test as a Job'), 'ConfigMap', '-loadtest') as KubeObject & { data: Record<string, string> }).data;
      assert.deepEqual(Object.keys(data).sort(), scripts);
      for (const f of scripts) assert.equal(data[f], readFileSync(path.join(loadtestDir, f), 'utf8').replace(/\n$/, ''), f);
    });

    it('runs the chosen script in a Job against the api Service by its cluster DNS name, with the admin token from its Secret', () => {
      const objects = objectsOf('k6 load test as a Job');
      const job = find(objects, 'Job', '-loadtest-rush-1');
      assert.equal(job.spec?.backoffLimit, 0, 'a retry would load the campaign twice');
      const container = podSpecOf(job)?.containers[0] as { args?: string[]; image?: string; env?: Array<{ name: string; valueFrom?: unknown }> } | undefined;
      assert.deepEqual(container?.args, ['run', '--quiet', '/scripts/participate-open.ts']);
      assert.equal(container.image, 'grafana/k6:1.8.1');
      const env = envOf(job);
      const service = find(objects, 'Service', '-api') as KubeObject & { spec: { ports: Array<{ port: number }> } };
      assert.equal(env.get('BASE_URL'), `http://${service.metadata.name}.campaign.svc.cluster.local:${service.spec.ports[0]?.port}`);
      assert.equal(env.get('SUMMARY_FILE'), 'stdout');
      assert.equal(env.get('RATE'), '300');
      assert.deepEqual(container.env?.find((e) => e.name === 'ADMIN_TOKEN')?.valueFrom, { secretKeyRef: { name: find(objects, 'Secret', '-admin-token').metadata.name, key: 'admin-token' } });
      assert.deepEqual(objects.filter((o) => o.kind === 'TestRun'), [], 'no TestRun without the k6-operator');
    });

    it('renders a k6-operator TestRun instead when asked, or when the cluster serves its API', () => {
      const run = find(objectsOf('k6 load test as a k6-operator TestRun'), 'TestRun', '-loadtest-rush-1');
      assert.equal(run.apiVersion, 'k6.io/v1alpha1');
      assert.deepEqual(run.spec?.script, { configMap: { name: find(objectsOf('k6 load test as a k6-operator TestRun'), 'ConfigMap', '-loadtest').metadata.name, file: 'rush.ts' } });
      assert.equal(run.spec.parallelism, 2);
      assert.deepEqual(objectsOf('k6 load test as a k6-operator TestRun').filter((o) => o.kind === 'Job' && o.metadata.name.includes('loadtest')), []);
      const auto = template(tools, [], ['loadtest.enabled=true', 'loadtest.runId=auto'], { args: ['--api-versions', 'k6.io/v1alpha1/TestRun'] });
      assert.equal(auto.status, 0, auto.stderr);
      const kinds = parseManifests(tools, auto.stdout).filter((o) => o.metadata.name.includes('loadtest')).map((o) => o.kind).sort();
      assert.deepEqual(kinds, ['ConfigMap', 'TestRun']);
    });

    it('runs only when asked: a later revision that keeps the runId renders the same run, a new runId a new one', async () => {
      const loadtestObjects = (manifests: string) => parseManifests(tools, manifests).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'loadtest');
      for (const file of ['loadtest-job.yaml', 'loadtest-testrun.yaml']) {
        const installed = await dryRun(tools, 1, [file]);
        assert.equal(installed.status, 0, installed.stderr);
        const upgraded = await dryRun(tools, 7, [file]);
        assert.equal(upgraded.status, 0, upgraded.stderr);
        assert.match(upgraded.stdout, /^REVISION: 7$/m);
        const first = loadtestObjects(installed.manifests);
        assert.deepEqual(first.map((o) => o.kind).sort(), file === 'loadtest-job.yaml' ? ['ConfigMap', 'Job'] : ['ConfigMap', 'TestRun']);
        assert.deepEqual(loadtestObjects(upgraded.manifests), first, `${file}: revision 7 renders the run of revision 1, unchanged`);
        const again = await dryRun(tools, 8, [file], ['loadtest.runId=rush-2']);
        assert.ok(loadtestObjects(again.manifests).some((o) => o.metadata.name.endsWith('-loadtest-rush-2')), file);
      }
    });

    it('gives the TestRun runner (and so the initializer the operator copies from it) and the starter a writable /tmp and the release hardening', () => {
      interface TestRunPod {
        securityContext?: Record<string, unknown>;
        containerSecurityContext?: Record<string, unknown>;
        volumes?: { name: string; emptyDir?: unknown }[];
        volumeMounts?: { name: string; mountPath: string }[];
      }
      const spec = find(objectsOf('k6 load test as a k6-operator TestRun'), 'TestRun').spec as { runner: TestRunPod; starter?: TestRunPod };
      for (const [role, pod] of [['runner', spec.runner], ['starter', spec.starter]] as const) {
        assert.ok(pod, role);
        assert.equal(pod.securityContext?.runAsNonRoot, true, role);
        assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' }, role);
        assert.equal(pod.containerSecurityContext?.readOnlyRootFilesystem, true, role);
        const mount = pod.volumeMounts?.find((m) => m.mountPath === '/tmp');
        assert.ok(mount, `${role}: /tmp mounted`);
        assert.ok(pod.volumes?.find((v) => v.name === mount.name)?.emptyDir, `${role}: /tmp is an emptyDir`);
      }
    });
  });

  it('ships a helm test hook that checks the release through its Service', () => {
    const test = find(objectsOf('defaults'), 'Pod', '-test');
    assert.equal(test.metadata.annotations?.['helm.sh/hook'], 'test');
  });

  describe('values.schema.json refuses bad values, naming the value', () => {
    const refusals: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
      ['two consumer replicas', ['consumer.replicas=2'], /consumer\/replicas/],
      ['two consumer replicas in the partition experiment', ['partitionExperiment.enabled=true', 'consumer.replicas=2'], /consumer\/replicas/],
      ['a load test script that does not exist', ['loadtest.script=nope.ts'], /loadtest\/script/],
      ['an unknown load test runner', ['loadtest.runner=cron'], /loadtest\/runner/],
      ['a catch-up look-back beyond 90 days', ['config.aggregationCatchUpDays=91'], /config\/aggregationCatchUpDays/],
      ['a load test without a runId', ['loadtest.enabled=true'], /loadtest\.runId is required with loadtest\.enabled/],
      ['a load test runId that is no DNS label', ['loadtest.enabled=true', 'loadtest.runId=Rush_1'], /loadtest\/runId/],
      ['a schedule that is not cron', ['aggregator.schedule=every night'], /aggregator\/schedule/],
      ['no database host', ['database.host='], /database\/host/],
      ['Strimzi off without bootstrap servers', ['kafka.strimzi.enabled=false'], /kafka\/bootstrapServers/],
      ['an unknown value (a typo)', ['api.replica=3'], /api.*replica/],
      ['a Kafka topic name with spaces', ['config.topic=my topic'], /config\/topic/],
      ['a participation topic retention below 7 days', ['kafka.strimzi.retentionMs=604799999'], /kafka\/strimzi\/retentionMs/],
      ['externalTrafficPolicy on a ClusterIP Service', ['api.service.externalTrafficPolicy=Local'], /externalTrafficPolicy/],
      ['an HPA scale-up policy of an unknown type', ['api.autoscaling.behavior.scaleUp.policies[0].type=Replicas', 'api.autoscaling.behavior.scaleUp.policies[0].value=1', 'api.autoscaling.behavior.scaleUp.policies[0].periodSeconds=15'], /api\/autoscaling\/behavior\/scaleUp\/policies\/0\/type/],
      ['an HPA stabilization window over an hour', ['api.autoscaling.behavior.scaleDown.stabilizationWindowSeconds=3601'], /api\/autoscaling\/behavior\/scaleDown\/stabilizationWindowSeconds/],
      ['a spread constraint that neither prefers nor requires', ['api.topologySpreadConstraints[0].whenUnsatisfiable=Sometimes'], /api\/topologySpreadConstraints\/0\/whenUnsatisfiable/],
      ['a spread constraint with a skew of 0', ['api.topologySpreadConstraints[0].maxSkew=0'], /api\/topologySpreadConstraints\/0\/maxSkew/],
    ];
    for (const [label, sets, names] of refusals) {
      it(label, () => {
        const result = template(tools, [], sets);
        assert.notEqual(result.status, 0, `rendered although ${label}`);
        assert.match(result.stderr, names);
      });
    }

    it('no database password and no existing Secret', () => {
      const result = template(tools, [], ['database.password=']);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /database\.password or database\.existingSecret is required/);
      assert.equal(template(tools, [], ['database.password=', 'database.existingSecret=campaign-db']).status, 0);
    });

    it('an autoscaler floor above its ceiling', () => {
      const result = template(tools, [], ['api.autoscaling.minReplicas=5', 'api.autoscaling.maxReplicas=3']);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /api\.autoscaling\.minReplicas \(5\) must not exceed api\.autoscaling\.maxReplicas \(3\)/);
    });

    it('a grace period shorter than the consumer drain', () => {
      const result = template(tools, [], ['consumer.terminationGracePeriodSeconds=10']);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /consumer\.terminationGracePeriodSeconds/);
    });

    it('accepts the refused consumer count once the partition experiment is on', () => {
      assert.equal(template(tools, ['partition-experiment.yaml']).status, 0);
    });
  });
});
