import { V1Lease, V1LeaseSpec, V1MicroTime, V1ObjectMeta } from '@kubernetes/client-node';
import type { Logger } from '../platform/logger.js';
import { apiStatus, mergePatch, type KubeClients } from '../platform/k8s/clients.js';
import { leaseAction, type LeaseState } from './lease-decision.js';

export interface LeaderElectionOptions {
  readonly clients: KubeClients;
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  /** How often the holder renews and a candidate retries. */
  readonly retryPeriodMs: number;
  readonly logger: Logger;
  readonly onStartedLeading: () => void;
  /** Called once when a holder fails to renew before its lease could expire; it must stop acting. */
  readonly onStoppedLeading: () => void;
  /** Every time reading goes through it, so that a substituted clock moves lease times and the renewal deadline together. */
  readonly clock?: () => Date;
}

/**
 * Leader election on a coordination.k8s.io Lease. Every write carries the resourceVersion it was
 * read at, so two candidates cannot both take an expired lease. A holder that cannot renew within
 * its own lease duration gives up before anyone else may take over.
 */
export class LeaderElector {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private lastRenewed = 0;
  private stopped = false;
  private readonly clock: () => Date;

  constructor(private readonly o: LeaderElectionOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  start(): void {
    void this.tick();
  }

  /** Stops taking part; a leader releases the lease so that another takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity === this.o.identity) {
        await this.write(lease, { holderIdentity: '', leaseDurationSeconds: 1 });
      }
    } catch (err) {
      this.o.logger.warn({ err }, 'could not release the lease');
    }
  }

  private async read(): Promise<V1Lease | null> {
    try {
      return await this.o.clients.coordination.readNamespacedLease({ name: this.o.leaseName, namespace: this.o.namespace });
    } catch (err) {
      if (apiStatus(err) === 404) return null;
      throw err;
    }
  }

  private async tick(): Promise<void> {
    try {
      await this.attempt();
    } catch (err) {
      if (apiStatus(err) !== 409) this.o.logger.warn({ err }, 'lease update failed');
    }
    if (this.leading && this.clock().getTime() - this.lastRenewed > this.o.leaseDurationSeconds * 1000 - this.o.retryPeriodMs) {
      // Another candidate may take the lease at its expiry: stop acting before that moment.
      this.leading = false;
      this.o.logger.error({ lease: this.o.leaseName }, 'lost the lease');
      this.o.onStoppedLeading();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.o.retryPeriodMs);
  }

  /** A merge patch carrying the resourceVersion it was read at: refused (409) if anyone wrote since. */
  private async write(lease: V1Lease, spec: Partial<V1LeaseSpec>): Promise<void> {
    await this.o.clients.coordination.patchNamespacedLease(
      { name: this.o.leaseName, namespace: this.o.namespace, body: { metadata: { resourceVersion: lease.metadata?.resourceVersion }, spec } },
      mergePatch,
    );
  }

  private async attempt(): Promise<void> {
    const now = this.clock();
    const lease = await this.read();
    const spec = lease?.spec;
    const state: LeaseState | null = spec
      ? { holderIdentity: spec.holderIdentity, renewTime: asDate(spec.renewTime), acquireTime: asDate(spec.acquireTime), leaseDurationSeconds: spec.leaseDurationSeconds, leaseTransitions: spec.leaseTransitions }
      : null;
    const action = leaseAction(state, this.o.identity, now);
    if (action.kind === 'wait') {
      if (this.leading) {
        this.leading = false;
        this.o.logger.error({ holder: action.holder }, 'the lease was taken by another instance');
        this.o.onStoppedLeading();
      }
      return;
    }
    const renewedAt = new V1MicroTime(now.getTime());
    const newSpec = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: this.o.leaseDurationSeconds,
      renewTime: renewedAt,
      acquireTime: action.kind === 'acquire' ? renewedAt : (spec?.acquireTime ?? renewedAt),
      leaseTransitions: action.kind === 'acquire' ? action.transitions : (spec?.leaseTransitions ?? 0),
    };
    const sentAt = this.clock().getTime();
    if (lease === null) {
      const body = new V1Lease();
      body.apiVersion = 'coordination.k8s.io/v1';
      body.kind = 'Lease';
      body.metadata = Object.assign(new V1ObjectMeta(), { name: this.o.leaseName, namespace: this.o.namespace });
      body.spec = Object.assign(new V1LeaseSpec(), newSpec);
      await this.o.clients.coordination.createNamespacedLease({ namespace: this.o.namespace, body });
    } else {
      await this.write(lease, newSpec);
    }
    this.lastRenewed = sentAt;
    if (!this.leading) {
      this.leading = true;
      this.o.logger.info({ lease: this.o.leaseName, identity: this.o.identity }, 'leading');
      this.o.onStartedLeading();
    }
  }
}

/** MicroTime fields arrive as strings: the client's deserializer does not know their format. */
function asDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  return null;
}
