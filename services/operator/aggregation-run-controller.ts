import { makeInformer, V1OwnerReference, type Informer, type KubernetesListObject, type ObjectCache, type V1Job } from '@kubernetes/client-node';
import { ReconcileQueue } from './reconcile-queue.js';
import { AGGREGATION_JOB, AlreadyRunningError, type AggregationRunStore } from '../db/aggregation-run-store.js';
import { checkPastDate, InvalidDateError } from '../platform/day-window.js';
import {
  AGGREGATION_RUN_GROUP,
  AGGREGATION_RUN_KIND,
  AGGREGATION_RUN_PLURAL,
  AGGREGATION_RUN_VERSION,
  type AggregationRunObject,
  type AggregationRunStatus,
} from '../platform/k8s/aggregation-run.js';
import { apiStatus, mergePatch, type KubeClients } from '../platform/k8s/clients.js';
import { jobFromCronJob } from '../platform/k8s/job-from-cronjob.js';
import type { Logger } from '../platform/logger.js';
import { planRun, type ExecutionObservation, type JobObservation } from './aggregation-run-plan.js';
import { statusDiffers } from './campaign-status.js';
import type { OperatorMetrics } from './metrics.js';

export interface AggregationRunControllerOptions {
  readonly clients: KubeClients;
  readonly executions: AggregationRunStore;
  readonly namespace: string;
  /** The CronJob whose job template every run's Job is made from. */
  readonly cronJob: string;
  readonly timeZone: string;
  readonly staleAfterMs: number;
  /** Unfinished runs are looked at again this often: their Job's progress comes by polling, not a watch. */
  readonly pollMs: number;
  readonly logger: Logger;
  readonly metrics: OperatorMetrics;
  readonly clock?: () => Date;
}

const RETRY_MS = 1_000;
/** Refusals that asking again cannot change: the run fails instead of retrying for ever. */
const PERMANENT = new Set([400, 403, 404, 422]);

/**
 * Carries out AggregationRun objects of one namespace: claims the day when the object did not come
 * with a claimed execution, makes a Job named after the object from the CronJob's template (owned
 * by the object), and writes the Job's progress and the execution's result to status.
 */
export class AggregationRunController {
  private readonly informer: Informer<AggregationRunObject> & ObjectCache<AggregationRunObject>;
  private readonly queue: ReconcileQueue;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly clock: () => Date;
  /** The status last written per uid: the informer's copy lags our own writes by a watch event. */
  private readonly written = new Map<string, AggregationRunStatus>();

  constructor(private readonly o: AggregationRunControllerOptions) {
    this.queue = new ReconcileQueue({ reconcile: (name) => this.reconcile(name), metrics: o.metrics, logger: o.logger, kind: 'aggregationRun' });
    this.clock = o.clock ?? (() => new Date());
    const path = `/apis/${AGGREGATION_RUN_GROUP}/${AGGREGATION_RUN_VERSION}/namespaces/${o.namespace}/${AGGREGATION_RUN_PLURAL}`;
    this.informer = makeInformer<AggregationRunObject>(o.clients.config, path, async () => {
      o.metrics.kubeRequests.inc({ verb: 'list' });
      return (await o.clients.custom.listNamespacedCustomObject({
        group: AGGREGATION_RUN_GROUP,
        version: AGGREGATION_RUN_VERSION,
        namespace: o.namespace,
        plural: AGGREGATION_RUN_PLURAL,
      })) as KubernetesListObject<AggregationRunObject>;
    });
    const enqueue = (obj: AggregationRunObject) => this.enqueue(obj.metadata.name);
    this.informer.on('add', enqueue);
    this.informer.on('update', enqueue);
    this.informer.on('delete', (obj: AggregationRunObject) => this.written.delete(obj.metadata.uid ?? ''));
    this.informer.on('connect', () => o.metrics.kubeRequests.inc({ verb: 'watch' }));
    this.informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      o.metrics.watchRestarts.inc();
      o.logger.warn({ err: String(err) }, 'aggregation run watch failed; starting it again');
      this.restartTimer = setTimeout(() => void this.startInformer(), RETRY_MS);
    });
  }

  async start(): Promise<void> {
    await this.startInformer();
    const poll = () => {
      for (const run of this.informer.list(this.o.namespace)) {
        const phase = this.statusOf(run)?.phase;
        if (phase !== 'Succeeded' && phase !== 'Failed') this.enqueue(run.metadata.name);
      }
      if (!this.stopped) this.pollTimer = setTimeout(poll, this.o.pollMs);
    };
    poll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.restartTimer);
    await this.informer.stop();
    await this.queue.stop();
  }

  private async startInformer(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.informer.start();
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, 'listing aggregation runs failed; trying again');
      this.restartTimer = setTimeout(() => void this.startInformer(), RETRY_MS);
    }
  }

  private enqueue(name: string): void {
    this.queue.enqueue(name);
  }


  private statusOf(run: AggregationRunObject): AggregationRunStatus | undefined {
    return this.written.get(run.metadata.uid ?? '') ?? run.status;
  }

  private async reconcile(name: string): Promise<void> {
    const informed = this.informer.get(name, this.o.namespace);
    if (!informed || informed.metadata.deletionTimestamp !== undefined) return;
    const run: AggregationRunObject = { ...informed, status: this.statusOf(informed) };
    const executionId = run.spec.executionId ?? run.status?.executionId;
    const phase = run.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const found: ExecutionObservation = executionId === undefined ? null : await this.o.executions.find(executionId);
    const job = executionId === undefined ? ({ kind: 'absent' } as const) : await this.observeJob(name, run.metadata.uid ?? '');
    const plan = planRun(run, job, found, this.clock());
    switch (plan.kind) {
      case 'done':
        return;
      case 'claim':
        await this.claim(run);
        this.enqueue(name);
        return;
      case 'createJob':
        await this.writeStatus(run, plan.status);
        await this.createJob(run, plan.status.executionId ?? 0);
        return;
      case 'status':
        if (plan.failExecution !== undefined && plan.status.executionId !== undefined) {
          await this.o.executions.finish(plan.status.executionId, 'FAILED', plan.failExecution, this.clock());
        }
        await this.writeStatus(run, plan.status);
        if (plan.terminal) this.o.logger.info({ aggregationRun: name, phase: plan.status.phase, executionId: plan.status.executionId }, 'aggregation run finished');
    }
  }

  /**
   * Claims the day for a run made with kubectl. The claim names the object's uid, so that a
   * controller that died between claiming and writing status recognises the claim as this run's.
   */
  private async claim(run: AggregationRunObject): Promise<void> {
    const now = this.clock();
    const uid = run.metadata.uid ?? '';
    const fail = (message: string) => this.writeStatus(run, { phase: 'Failed', message, finishedAt: now.toISOString() });
    let date: string;
    try {
      date = checkPastDate(run.spec.date, this.o.timeZone, now);
    } catch (err) {
      if (err instanceof InvalidDateError) return fail(`spec.date ${err.message}`);
      throw err;
    }
    const parameters = { date, timeZone: this.o.timeZone, kubernetesJob: run.metadata.name, aggregationRun: run.metadata.name, aggregationRunUid: uid };
    let executionId: number;
    try {
      executionId = await this.o.executions.start(AGGREGATION_JOB, date, parameters, this.o.staleAfterMs, now);
    } catch (err) {
      if (!(err instanceof AlreadyRunningError)) throw err;
      const holder = await this.o.executions.find(err.executionId);
      if (holder?.execution.parameters.aggregationRunUid !== uid) return fail(`an aggregation of ${date} is already running (execution ${err.executionId})`);
      executionId = err.executionId;
    }
    await this.writeStatus(run, { phase: 'Pending', executionId, jobName: run.metadata.name, message: 'creating the Job' });
  }

  private async observeJob(name: string, uid: string): Promise<JobObservation> {
    let job: V1Job;
    try {
      this.o.metrics.kubeRequests.inc({ verb: 'get_job' });
      job = await this.o.clients.batch.readNamespacedJob({ name, namespace: this.o.namespace });
    } catch (err) {
      if (apiStatus(err) === 404) return { kind: 'absent' };
      throw err;
    }
    if (!(job.metadata?.ownerReferences ?? []).some((r) => r.uid === uid)) return { kind: 'foreign' };
    const startedAt = job.status?.startTime?.toISOString();
    const times = startedAt === undefined ? {} : { startedAt };
    const condition = (type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
    const complete = condition('Complete');
    if (complete) return { kind: 'finished', succeeded: true, ...times, finishedAt: (job.status?.completionTime ?? complete.lastTransitionTime)?.toISOString(), reason: 'Complete' };
    const failed = condition('Failed');
    if (failed) return { kind: 'finished', succeeded: false, ...times, finishedAt: failed.lastTransitionTime?.toISOString(), reason: `${failed.reason ?? 'Failed'}${failed.message ? `: ${failed.message}` : ''}` };
    return { kind: 'running', ...times };
  }

  private async createJob(run: AggregationRunObject, executionId: number): Promise<void> {
    const { name, uid } = run.metadata;
    const owner = Object.assign(new V1OwnerReference(), {
      apiVersion: `${AGGREGATION_RUN_GROUP}/${AGGREGATION_RUN_VERSION}`,
      kind: AGGREGATION_RUN_KIND,
      name,
      uid: uid ?? '',
      controller: true,
    });
    try {
      this.o.metrics.kubeRequests.inc({ verb: 'get_cronjob' });
      const cron = await this.o.clients.batch.readNamespacedCronJob({ name: this.o.cronJob, namespace: this.o.namespace });
      await this.ownByCronJob(run, cron.metadata?.uid ?? '');
      const body = jobFromCronJob(cron, name, ['aggregator', '--date', run.spec.date, '--execution-id', String(executionId)], owner);
      this.o.metrics.kubeRequests.inc({ verb: 'create_job' });
      await this.o.clients.batch.createNamespacedJob({ namespace: this.o.namespace, body });
      this.o.logger.info({ aggregationRun: name, executionId, date: run.spec.date }, 'aggregation Job created');
    } catch (err) {
      // Made by an earlier attempt: the next look finds it (and whether it is this run's).
      if (apiStatus(err) === 409) return;
      const code = apiStatus(err);
      if (code === undefined || !PERMANENT.has(code)) throw err;
      const reason = `the Job could not be created: ${(err instanceof Error ? err.message : String(err)).slice(0, 400)}`;
      await this.o.executions.finish(executionId, 'FAILED', reason, this.clock());
      await this.writeStatus(run, { phase: 'Failed', executionId, jobName: name, message: reason, finishedAt: this.clock().toISOString() });
    }
  }

  /**
   * Makes the CronJob an owner of the run (and so, through the run, of its Job), so that the
   * release's uninstall takes its runs and their Jobs with it, as it took Jobs owned by the CronJob.
   */
  private async ownByCronJob(run: AggregationRunObject, cronUid: string): Promise<void> {
    const owners = run.metadata.ownerReferences ?? [];
    if (cronUid === '' || owners.some((r) => r.uid === cronUid)) return;
    this.o.metrics.kubeRequests.inc({ verb: 'patch' });
    await this.o.clients.custom.patchNamespacedCustomObject(
      {
        group: AGGREGATION_RUN_GROUP,
        version: AGGREGATION_RUN_VERSION,
        namespace: this.o.namespace,
        plural: AGGREGATION_RUN_PLURAL,
        name: run.metadata.name,
        body: { metadata: { resourceVersion: run.metadata.resourceVersion, ownerReferences: [...owners, { apiVersion: 'batch/v1', kind: 'CronJob', name: this.o.cronJob, uid: cronUid }] } },
      },
      mergePatch,
    );
  }

  private async writeStatus(run: AggregationRunObject, status: AggregationRunStatus): Promise<void> {
    const uid = run.metadata.uid ?? '';
    if (!statusDiffers(this.statusOf(run), status)) return;
    this.o.metrics.kubeRequests.inc({ verb: 'patch_status' });
    this.o.metrics.statusWrites.inc();
    // A merge patch leaves keys it does not name: a key the new status drops is sent as null.
    const cleared = Object.fromEntries(Object.keys(run.status ?? {}).filter((k) => !(k in status)).map((k) => [k, null]));
    await this.o.clients.custom.patchNamespacedCustomObjectStatus(
      {
        group: AGGREGATION_RUN_GROUP,
        version: AGGREGATION_RUN_VERSION,
        namespace: this.o.namespace,
        plural: AGGREGATION_RUN_PLURAL,
        name: run.metadata.name,
        body: { status: { ...cleared, ...status } },
      },
      mergePatch,
    );
    this.written.set(uid, status);
  }
}
