import { AGGREGATION_JOB, type AggregationRunStore } from '../../db/aggregation-run-store.js';
import { checkPastDate } from '../../platform/day-window.js';
import type { KubeClients } from '../../platform/k8s/clients.js';
import { jobFromCronJob } from '../../platform/k8s/job-from-cronjob.js';
import type { Logger } from '../../platform/logger.js';
import { UnavailableError } from '../../platform/errors.js';

export interface AggregationLauncher {
  /** Claims the day and hands the run to another process; answers with the execution and what runs it. */
  start(day: string): Promise<{ executionId: number; jobName: string }>;
}

export interface KubernetesLauncherOptions {
  readonly clients: KubeClients;
  readonly executions: AggregationRunStore;
  readonly namespace: string;
  /** The aggregation CronJob whose template the Job is made from. */
  readonly cronJob: string;
  readonly timeZone: string;
  readonly staleAfterMs: number;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/**
 * Runs an aggregation as a Kubernetes Job made from the aggregation CronJob's template (what
 * `kubectl create job --from=cronjob/…` does). The execution is claimed here first, so that a
 * second request for the same day is refused at once, and its id goes to the Job, which runs that
 * execution; the Job's name is recorded in the execution's parameters.
 */
export class KubernetesAggregationLauncher implements AggregationLauncher {
  constructor(private readonly o: KubernetesLauncherOptions) {}

  async start(day: string): Promise<{ executionId: number; jobName: string }> {
    const { o } = this;
    const now = o.clock();
    const date = checkPastDate(day, o.timeZone, now);
    // A name of its own per request (Job names are unique while the Job exists), within 63 characters.
    const jobName = `${o.cronJob.slice(0, 48)}-m${now.getTime().toString(36)}`;
    const executionId = await o.executions.start(AGGREGATION_JOB, date, { date, timeZone: o.timeZone, kubernetesJob: jobName }, o.staleAfterMs, now);
    try {
      const cron = await o.clients.batch.readNamespacedCronJob({ name: o.cronJob, namespace: o.namespace });
      const body = jobFromCronJob(cron, jobName, ['aggregator', '--date', date, '--execution-id', String(executionId)]);
      await o.clients.batch.createNamespacedJob({ namespace: o.namespace, body });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      o.logger.error({ err, executionId, jobName }, 'could not create the aggregation Job');
      await o.executions.finish(executionId, 'FAILED', `the Job could not be created: ${reason.slice(0, 400)}`, o.clock()).catch(() => undefined);
      throw new UnavailableError('KUBERNETES_UNAVAILABLE', `the aggregation Job could not be created through the Kubernetes API (execution ${executionId} recorded as FAILED)`, undefined, { executionId });
    }
    o.logger.info({ executionId, jobName, date }, 'aggregation Job created');
    return { executionId, jobName };
  }
}
