import { makeInformer, type Informer, type KubernetesListObject, type ObjectCache, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { ReconcileQueue } from './reconcile-queue.js';
import type { Logger } from '../platform/logger.js';
import type { CampaignResourceStore, LinkedCampaign } from '../db/campaign-resource-store.js';
import { apiStatus, mergePatch, type KubeClients } from '../platform/k8s/clients.js';
import {
  CAMPAIGN_FINALIZER,
  CAMPAIGN_GROUP,
  CAMPAIGN_ID_LABEL,
  CAMPAIGN_KIND,
  CAMPAIGN_PLURAL,
  CAMPAIGN_VERSION,
  WARMED_BY_ANNOTATION,
  type CampaignObject,
  type CampaignSpec,
  type CampaignStatus,
} from './campaign-resource.js';
import { desiredStatus, mergeConditions, phaseOf, statusDiffers, warmupStatus, type ConditionWish } from './campaign-status.js';
import type { OperatorMetrics } from './metrics.js';
import { planSpecChange } from './spec-plan.js';
import { planFloor, type FloorPlan, type WarmupCandidate } from './warmup-plan.js';

/** What was last read of or written to the API's HPA. */
interface AutoscalerSeen {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly warmedBy: string;
  readonly at: number;
}

export interface ControllerOptions {
  readonly clients: KubeClients;
  readonly store: CampaignResourceStore;
  readonly namespace: string;
  readonly logger: Logger;
  readonly metrics: OperatorMetrics;
  /** Status is rewritten from the counters at most this often (and only when it changed). */
  readonly statusIntervalMs: number;
  /** How often campaigns created through the HTTP API are looked for, to get an object each. */
  readonly mirrorIntervalMs: number;
  /** The API's HorizontalPodAutoscaler that Campaign warmups raise the floor of; unset: none. */
  readonly autoscaler?: {
    readonly name: string;
    /** The chart's minReplicas: the floor whenever no warmup is in force. */
    readonly floor: number;
    /** The HPA is read again at least this often, so that a floor someone else changed is put back. */
    readonly resyncMs: number;
  };
  /** Every time reading goes through it, so that a substituted clock moves written timestamps and the status loop's pacing together. */
  readonly clock?: () => Date;
}

type Informed = CampaignObject & { apiVersion?: string; kind?: string };

const RETRY_MS = 1_000;
/** Status patches sent at once by one refresh. */
const PATCH_CONCURRENCY = 8;

function autoscalerSeen(hpa: V2HorizontalPodAutoscaler, now: Date): AutoscalerSeen {
  return {
    minReplicas: hpa.spec?.minReplicas ?? 1,
    maxReplicas: hpa.spec?.maxReplicas ?? 1,
    warmedBy: hpa.metadata?.annotations?.[WARMED_BY_ANNOTATION] ?? '',
    at: now.getTime(),
  };
}

/**
 * Keeps database campaigns in step with Campaign objects of one namespace. Objects arrive through
 * an informer (list once, then watch from its resourceVersion; a 410 makes it list again); a
 * watch that fails is started again, and the fresh list replays whatever changed meanwhile.
 * Reconciles run one at a time per object name (see reconcile-queue.ts).
 */
export class CampaignController {
  private readonly informer: Informer<Informed> & ObjectCache<Informed>;
  private readonly queue: ReconcileQueue;
  private stopped = false;
  private statusTimer: NodeJS.Timeout | undefined;
  private mirrorTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly clock: () => Date;
  /**
   * The status last written per object. The informer's copy lags our own writes by a watch event;
   * without this a refresh in between would send the same patch again.
   */
  private readonly written = new Map<string, CampaignStatus>();
  /** The floor last given to the autoscaler, which status reports. */
  private floor: FloorPlan | undefined;
  private autoscalerSeen: AutoscalerSeen | undefined;
  private autoscalerRetryAt = 0;

  constructor(private readonly o: ControllerOptions) {
    this.queue = new ReconcileQueue({ reconcile: (name) => this.reconcile(name), metrics: o.metrics, logger: o.logger, kind: 'campaign' });
    this.clock = o.clock ?? (() => new Date());
    const path = `/apis/${CAMPAIGN_GROUP}/${CAMPAIGN_VERSION}/namespaces/${o.namespace}/${CAMPAIGN_PLURAL}`;
    this.informer = makeInformer<Informed>(o.clients.config, path, async () => {
      o.metrics.kubeRequests.inc({ verb: 'list' });
      return (await o.clients.custom.listNamespacedCustomObject({
        group: CAMPAIGN_GROUP,
        version: CAMPAIGN_VERSION,
        namespace: o.namespace,
        plural: CAMPAIGN_PLURAL,
      })) as KubernetesListObject<Informed>;
    });
    const enqueue = (obj: Informed) => this.enqueue(obj.metadata.name);
    this.informer.on('add', enqueue);
    this.informer.on('update', enqueue);
    this.informer.on('connect', () => o.metrics.kubeRequests.inc({ verb: 'watch' }));
    this.informer.on('error', (err: unknown) => {
      if (this.stopped) return;
      o.metrics.watchRestarts.inc();
      o.logger.warn({ err: String(err) }, 'campaign watch failed; starting it again');
      this.restartTimer = setTimeout(() => void this.startInformer(), RETRY_MS);
    });
  }

  async start(): Promise<void> {
    await this.startInformer();
    // At a fixed rate: a refresh that took part of the interval shortens the wait after it.
    const statusLoop = async () => {
      const started = this.clock().getTime();
      await this.refreshStatuses().catch((err: unknown) => this.o.logger.warn({ err }, 'status refresh failed'));
      if (!this.stopped) this.statusTimer = setTimeout(() => void statusLoop(), Math.max(0, this.o.statusIntervalMs - (this.clock().getTime() - started)));
    };
    const mirrorLoop = async () => {
      await this.mirrorUnlinked().catch((err: unknown) => this.o.logger.warn({ err }, 'mirroring campaigns failed'));
      if (!this.stopped) this.mirrorTimer = setTimeout(() => void mirrorLoop(), this.o.mirrorIntervalMs);
    };
    void statusLoop();
    void mirrorLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.statusTimer);
    clearTimeout(this.mirrorTimer);
    clearTimeout(this.restartTimer);
    await this.informer.stop();
    await this.queue.stop();
  }

  private async startInformer(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.informer.start();
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, 'listing campaigns failed; trying again');
      this.restartTimer = setTimeout(() => void this.startInformer(), RETRY_MS);
    }
  }

  enqueue(name: string): void {
    this.queue.enqueue(name);
  }


  private async reconcile(name: string): Promise<void> {
    const obj = this.informer.get(name, this.o.namespace);
    if (!obj) return;
    const uid = obj.metadata.uid ?? '';
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp !== undefined) {
      if (!finalizers.includes(CAMPAIGN_FINALIZER)) return;
      const row = await this.o.store.findByUid(uid);
      if (row) await this.o.store.end(row.id, this.clock());
      await this.patch(name, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: finalizers.filter((f) => f !== CAMPAIGN_FINALIZER) } });
      this.o.logger.info({ campaign: name, id: row?.id }, 'campaign ended: its object was deleted');
      return;
    }
    if (!finalizers.includes(CAMPAIGN_FINALIZER)) {
      // The next event brings the object back with it; nothing is created before it is there.
      await this.patch(name, { metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers: [...finalizers, CAMPAIGN_FINALIZER] } });
      return;
    }
    let row = await this.rowFor(obj);
    const generation = obj.metadata.generation ?? 0;
    const plan = planSpecChange(obj.spec, row);
    let stockRefused: string | null = null;
    if (plan.kind === 'update') {
      const refusal = await this.o.store.apply(row.id, plan.change);
      if (refusal.refused) stockRefused = refusal.message;
      row = (await this.o.store.findById(row.id)) ?? row;
    }
    const wishes: ConditionWish[] = [
      { type: 'Synced', status: 'True', reason: 'Reconciled', message: `database campaign ${row.id} matches the spec${stockRefused === null ? '' : ' except totalStock'}` },
      stockRefused === null
        ? { type: 'StockAccepted', status: 'True', reason: 'Applied', message: `totalStock ${row.totalStock} applied` }
        : { type: 'StockAccepted', status: 'False', reason: 'BelowWinners', message: stockRefused },
    ];
    const now = this.clock();
    const status = desiredStatus(row, now, generation, mergeConditions(obj.status?.conditions, wishes, generation, now), warmupStatus(obj.spec, name, row, now, this.floor));
    await this.writeStatus(obj, status);
  }

  /** The object's row: found by uid, or the API-created row a mirrored object names, or a new one. */
  private async rowFor(obj: Informed): Promise<LinkedCampaign> {
    const uid = obj.metadata.uid ?? '';
    const found = await this.o.store.findByUid(uid);
    if (found) return found;
    const mirrored = Number(obj.metadata.labels?.[CAMPAIGN_ID_LABEL]);
    if (Number.isSafeInteger(mirrored) && mirrored > 0 && (await this.o.store.link(mirrored, uid))) {
      const linked = await this.o.store.findById(mirrored);
      if (linked) return linked;
    }
    const spec = obj.spec;
    const row = await this.o.store.ensureForUid(uid, {
      name: spec.displayName,
      totalStock: spec.totalStock,
      startsAt: spec.startsAt === undefined ? null : new Date(spec.startsAt),
      endsAt: spec.endsAt === undefined ? null : new Date(spec.endsAt),
    }, this.clock());
    this.o.logger.info({ campaign: obj.metadata.name, id: row.id }, 'campaign created from its object');
    return row;
  }

  /**
   * One statement for the counters of every campaign with a known id; writes only what changed.
   * The API autoscaler's floor is set from the same rows first, so that status reports it.
   */
  async refreshStatuses(): Promise<void> {
    const objects = this.informer.list(this.o.namespace).filter((o) => o.status?.campaignId !== undefined && o.metadata.deletionTimestamp === undefined);
    const rows = new Map(objects.length === 0 ? [] : (await this.o.store.findByIds(objects.map((o) => o.status?.campaignId ?? 0))).map((r) => [r.id, r]));
    const now = this.clock();
    // With no campaign left the floor is still set: that is how the last warmup's is given back.
    if (now.getTime() >= this.autoscalerRetryAt) {
      await this.applyFloor(objects, rows, now).catch((err: unknown) => {
        // Status must not wait on the autoscaler; it is tried again after a resync period.
        this.autoscalerSeen = undefined;
        this.autoscalerRetryAt = now.getTime() + (this.o.autoscaler?.resyncMs ?? 0);
        this.o.logger.warn({ err }, 'setting the API autoscaler floor failed');
      });
    }
    const writes: (() => Promise<void>)[] = [];
    for (const obj of objects) {
      const row = rows.get(obj.status?.campaignId ?? 0);
      if (!row || this.queue.has(obj.metadata.name)) continue;
      const status = desiredStatus(row, now, obj.status?.observedGeneration ?? 0, [...(obj.status?.conditions ?? [])], warmupStatus(obj.spec, obj.metadata.name, row, now, this.floor));
      writes.push(() => this.writeStatus(obj, status).catch((err: unknown) => this.o.logger.warn({ err, campaign: obj.metadata.name }, 'status write failed')));
    }
    const workers = Array.from({ length: Math.min(PATCH_CONCURRENCY, writes.length) }, async () => {
      for (let next = writes.shift(); next; next = writes.shift()) await next();
    });
    await Promise.all(workers);
  }

  /**
   * Gives the API's HPA the floor the warmups in force ask for, or the chart's. It is patched only
   * when it differs from what was last seen on it, and read again every resyncMs, so that an
   * upgrade or a hand that put another minReplicas there is corrected within that time.
   */
  private async applyFloor(objects: readonly Informed[], rows: ReadonlyMap<number, LinkedCampaign>, now: Date): Promise<void> {
    const hpa = this.o.autoscaler;
    if (!hpa) return;
    const candidates: WarmupCandidate[] = [];
    for (const obj of objects) {
      const row = rows.get(obj.status?.campaignId ?? 0);
      const { warmup, startsAt } = obj.spec;
      if (!row || warmup === undefined || startsAt === undefined) continue;
      candidates.push({ name: obj.metadata.name, warmup, startsAt: new Date(startsAt), endsAt: row.endsAt, phase: phaseOf(row, now) });
    }
    const ref = { name: hpa.name, namespace: this.o.namespace };
    let seen = this.autoscalerSeen;
    if (seen === undefined || now.getTime() - seen.at >= hpa.resyncMs) {
      this.o.metrics.kubeRequests.inc({ verb: 'get_hpa' });
      seen = autoscalerSeen(await this.o.clients.autoscaling.readNamespacedHorizontalPodAutoscaler(ref), now);
      this.autoscalerSeen = seen;
    }
    const plan = planFloor(candidates, now, hpa.floor, seen.maxReplicas);
    const warmedBy = plan.warmedBy.join(',').slice(0, 1024);
    if (plan.minReplicas !== seen.minReplicas || warmedBy !== seen.warmedBy) {
      this.o.metrics.kubeRequests.inc({ verb: 'patch_hpa' });
      const body = { metadata: { annotations: { [WARMED_BY_ANNOTATION]: warmedBy === '' ? null : warmedBy } }, spec: { minReplicas: plan.minReplicas } };
      this.autoscalerSeen = autoscalerSeen(await this.o.clients.autoscaling.patchNamespacedHorizontalPodAutoscaler({ ...ref, body }, mergePatch), now);
      this.o.logger.info({ minReplicas: plan.minReplicas, was: seen.minReplicas, warmedBy: plan.warmedBy, capped: plan.capped }, 'API autoscaler floor set');
    }
    this.o.metrics.apiFloor.set(plan.minReplicas);
    this.floor = plan;
  }

  private async writeStatus(obj: Informed, status: CampaignStatus): Promise<void> {
    const name = obj.metadata.name;
    const key = obj.metadata.uid ?? name;
    const written = this.written.get(key);
    if (!statusDiffers(obj.status, status) || (written !== undefined && !statusDiffers(written, status))) return;
    this.o.metrics.kubeRequests.inc({ verb: 'patch_status' });
    this.o.metrics.statusWrites.inc();
    await this.o.clients.custom.patchNamespacedCustomObjectStatus(
      { group: CAMPAIGN_GROUP, version: CAMPAIGN_VERSION, namespace: this.o.namespace, plural: CAMPAIGN_PLURAL, name, body: { status } },
      mergePatch,
    );
    this.written.set(key, status);
  }

  private async patch(name: string, body: object): Promise<void> {
    this.o.metrics.kubeRequests.inc({ verb: 'patch' });
    await this.o.clients.custom.patchNamespacedCustomObject(
      { group: CAMPAIGN_GROUP, version: CAMPAIGN_VERSION, namespace: this.o.namespace, plural: CAMPAIGN_PLURAL, name, body },
      mergePatch,
    );
  }

  /** Campaigns created through the HTTP API get an object each, named after their id. */
  async mirrorUnlinked(): Promise<void> {
    for (const row of await this.o.store.unlinked(50)) {
      if (this.stopped) return;
      const name = `campaign-${row.id}`;
      if (this.informer.get(name, this.o.namespace)) continue;
      const spec: CampaignSpec = {
        displayName: row.name,
        totalStock: row.totalStock,
        ...(row.startsAt ? { startsAt: row.startsAt.toISOString() } : {}),
        ...(row.endsAt ? { endsAt: row.endsAt.toISOString() } : {}),
      };
      this.o.metrics.kubeRequests.inc({ verb: 'create' });
      try {
        await this.o.clients.custom.createNamespacedCustomObject({
          group: CAMPAIGN_GROUP,
          version: CAMPAIGN_VERSION,
          namespace: this.o.namespace,
          plural: CAMPAIGN_PLURAL,
          body: {
            apiVersion: `${CAMPAIGN_GROUP}/${CAMPAIGN_VERSION}`,
            kind: CAMPAIGN_KIND,
            metadata: { name, labels: { [CAMPAIGN_ID_LABEL]: String(row.id) }, finalizers: [CAMPAIGN_FINALIZER] },
            spec,
          },
        });
        this.o.logger.info({ campaign: name, id: row.id }, 'object created for a campaign made through the HTTP API');
      } catch (err) {
        // Made by an earlier attempt whose link was not written yet: its reconcile links it.
        if (apiStatus(err) !== 409) throw err;
      }
    }
  }
}
