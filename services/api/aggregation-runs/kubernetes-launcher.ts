import { AGGREGATION_JOB, type AggregationRunStore } from '../../db/aggregation-run-store.js';
import { checkPastDate } from '../../platform/day-window.js';
import {
  AGGREGATION_RUN_GROUP,
  AGGREGATION_RUN_PLURAL,
  AGGREGATION_RUN_VERSION,
  aggregationRunBody,
} from '../../platform/k8s/aggregation-run.js';
import type { KubeClients } from '../../platform/k8s/clients.js';
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
  /** Runs are named <prefix>-m<time>; the operator names their Jobs the same. */
  readonly namePrefix: string;
  readonly timeZone: string;
  readonly staleAfterMs: number;
  readonly clock: () => Date;
  readonly logger: Logger;
}

/**
 * Hands an aggregation to the operator as an AggregationRun object, which it carries out as a Job
 * made from the aggregation CronJob. The API may create that object and nothing else: no workload,
 * so an API pod taken over gains no path to the namespace's service accounts and secrets. The
 * execution is claimed here first, so that a second request for the same day is refused at once;
 * its id goes into the object, and the object's name (the Job's too) into its parameters.
 */
export class KubernetesAggregationLauncher implements AggregationLauncher {
  constructor(private readonly o: KubernetesLauncherOptions) {}

  async start(day: string): Promise<{ executionId: number; jobName: string }> {
    const { o } = this;
    const now = o.clock();
    const date = checkPastDate(day, o.timeZone, now);
    // A name of its own per request (names are unique while the object exists), within 63 characters.
    const name = `${o.namePrefix.slice(0, 48)}-m${now.getTime().toString(36)}`;
    const executionId = await o.executions.start(AGGREGATION_JOB, date, { date, timeZone: o.timeZone, kubernetesJob: name, aggregationRun: name }, o.staleAfterMs, now);
    try {
      await o.clients.custom.createNamespacedCustomObject({
        group: AGGREGATION_RUN_GROUP,
        version: AGGREGATION_RUN_VERSION,
        namespace: o.namespace,
        plural: AGGREGATION_RUN_PLURAL,
        body: aggregationRunBody(name, { date, executionId }),
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      o.logger.error({ err, executionId, aggregationRun: name }, 'could not create the AggregationRun');
      await o.executions.finish(executionId, 'FAILED', `the AggregationRun could not be created: ${reason.slice(0, 400)}`, o.clock()).catch(() => undefined);
      throw new UnavailableError('KUBERNETES_UNAVAILABLE', `the AggregationRun could not be created through the Kubernetes API (execution ${executionId} recorded as FAILED)`, undefined, { executionId });
    }
    o.logger.info({ executionId, aggregationRun: name, date }, 'AggregationRun created');
    return { executionId, jobName: name };
  }
}
