import { V1Job, V1ObjectMeta, type V1CronJob, type V1OwnerReference } from '@kubernetes/client-node';

/**
 * A Job made from a CronJob's template, as `kubectl create job NAME --from=cronjob/CRON` makes it:
 * the template's labels, annotations and spec and the manual-instantiation annotation, but owned
 * by `owner` (the object it is made for, so that the Job goes with it) instead of the CronJob.
 * `args` replace the first container's arguments.
 */
export function jobFromCronJob(cronJob: V1CronJob, name: string, args: readonly string[], owner: V1OwnerReference): V1Job {
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
    ownerReferences: [owner],
  });
  job.spec = spec;
  return job;
}
