import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { V1CronJob, V1OwnerReference } from '@kubernetes/client-node';
import { jobFromCronJob } from './job-from-cronjob.js';

const cron = (): V1CronJob =>
  Object.assign(new V1CronJob(), {
  metadata: { name: 'rel-aggregator', namespace: 'campaign', uid: 'u-1' },
  spec: {
    schedule: '0 2 * * *',
    jobTemplate: {
      metadata: { labels: { 'app.kubernetes.io/component': 'aggregator' }, annotations: { note: 'x' } },
      spec: {
        backoffLimit: 2,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'aggregator', image: 'img:1', args: ['aggregator'] }, { name: 'side', image: 'side:1' }] } },
      },
    },
  },
  });

const owner = Object.assign(new V1OwnerReference(), { apiVersion: 'fcfs.dev/v1alpha1', kind: 'AggregationRun', name: 'run-1', uid: 'r-1', controller: true });

describe('jobFromCronJob', () => {
  it('copies the template, marks the Job manual and owned by the object it is made for, and sets the arguments', () => {
    const { metadata, spec } = jobFromCronJob(cron(), 'rel-aggregator-m1', ['aggregator', '--date', '2026-11-20'], owner);
    assert.ok(metadata && spec);
    assert.equal(metadata.name, 'rel-aggregator-m1');
    assert.equal(metadata.namespace, 'campaign');
    assert.deepEqual(metadata.labels, { 'app.kubernetes.io/component': 'aggregator' });
    assert.deepEqual(metadata.annotations, { note: 'x', 'cronjob.kubernetes.io/instantiate': 'manual' });
    assert.deepEqual(metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid, o.controller]), [['AggregationRun', 'run-1', 'r-1', true]]);
    assert.equal(spec.backoffLimit, 2);
    assert.deepEqual(spec.template.spec?.containers.map((c) => [c.name, c.args]), [['aggregator', ['aggregator', '--date', '2026-11-20']], ['side', undefined]]);
  });

  it('leaves the CronJob as it was', () => {
    const source = cron();
    jobFromCronJob(source, 'j', ['a'], owner);
    assert.deepEqual(source, cron());
  });

  it('refuses a CronJob without a template or container', () => {
    assert.throws(() => jobFromCronJob(Object.assign(new V1CronJob(), { metadata: { name: 'c' } }), 'j', [], owner), /cronjob c has no job template/);
    const empty = cron();
    if (empty.spec?.jobTemplate.spec?.template.spec) empty.spec.jobTemplate.spec.template.spec.containers = [];
    assert.throws(() => jobFromCronJob(empty, 'j', [], owner), /cronjob rel-aggregator has no container/);
  });
});
