import { V1Job, V1ObjectMeta, V1OwnerReference, type V1CronJob } from '@kubernetes/client-node';

/**
 * A Job made from a CronJob's template, as `kubectl create job NAME --from=cronjob/CRON` makes it:
 * the template's labels, annotations and spec, the manual-instantiation annotation, and the
 * CronJob as owner (so the Job goes with it). `args` replace the first container's arguments.
 */
export function jobFromCronJob(cronJob: V1CronJob, name: string, args: readonly string[]): V1Job {
  const cronName = cronJob.metadata?.name ?? '?';
  const template = cronJob.spec?.jobTemplate;
  if (!template?.spec) throw new Error(`cronjob ${cronName} has no job template`);
  const spec = structuredClone(template.spec);
  const container = spec.template.spec?.containers[0];
  if (!container) throw new Error(`cronjob ${cronName} has no container`);
  container.args = [...args];
  const job = new V1Job();
  job.apiVersion = 'batch/v1';
  job.kind = 'Job';
  job.metadata = Object.assign(new V1ObjectMeta(), {
    name,
    namespace: cronJob.metadata?.namespace,
    labels: { ...template.metadata?.labels },
    annotations: { ...template.metadata?.annotations, 'cronjob.kubernetes.io/instantiate': 'manual' },
    ownerReferences: [
      Object.assign(new V1OwnerReference(), { apiVersion: 'batch/v1', kind: 'CronJob', name: cronName, uid: cronJob.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }),
    ],
  });
  job.spec = spec;
  return job;
}
