import type { Logger } from '../platform/logger.js';
import type { OperatorMetrics } from './metrics.js';

const RETRY_MS = 1_000;

export interface ReconcileQueueOptions {
  reconcile: (name: string) => Promise<void>;
  metrics: OperatorMetrics;
  logger: Logger;
  /** The log field naming the object (campaign, aggregationRun). */
  kind: string;
}

/**
 * Reconciles run one at a time per object name, from a queue that folds repeated events: an
 * object changed ten times while one reconcile ran is reconciled once more, from what it is then.
 * A failed reconcile comes back after a second.
 */
export class ReconcileQueue {
  private readonly names = new Set<string>();
  private working = false;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly o: ReconcileQueueOptions) {}

  has(name: string): boolean {
    return this.names.has(name);
  }

  enqueue(name: string): void {
    if (this.stopped) return;
    this.names.add(name);
    if (!this.working) this.idle = this.drain();
  }

  /** Takes nothing more; resolves once the reconcile under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle;
  }

  private async drain(): Promise<void> {
    this.working = true;
    try {
      while (!this.stopped && this.names.size > 0) {
        const name = this.names.values().next().value as string;
        this.names.delete(name);
        try {
          await this.o.reconcile(name);
          this.o.metrics.reconciles.inc({ outcome: 'ok' });
        } catch (err) {
          this.o.metrics.reconciles.inc({ outcome: 'error' });
          this.o.logger.warn({ err, [this.o.kind]: name }, `${this.o.kind} reconcile failed; retrying`);
          setTimeout(() => this.enqueue(name), RETRY_MS).unref();
        }
      }
    } finally {
      this.working = false;
    }
  }
}
