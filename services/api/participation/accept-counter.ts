import type { Logger } from '../../platform/logger.js';
import type { AcceptStore } from '../../db/accept-store.js';

export interface AcceptCounterDeps {
  store: AcceptStore;
  intervalMs: number;
  logger: Logger;
}

/**
 * Counts accepted requests in memory and adds them to the database every `intervalMs`, off the
 * request path. A crash loses at most one interval's counts, which only makes `pending` read
 * low; decisions are never affected.
 */
export class AcceptCounter {
  private counts = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  private readonly store: AcceptStore;
  private readonly logger: Logger;

  constructor(deps: AcceptCounterDeps) {
    ({ store: this.store, logger: this.logger } = deps);
    this.timer = setInterval(() => void this.flush(), deps.intervalMs);
    this.timer.unref();
  }

  add(campaignId: number, n = 1): void {
    this.counts.set(campaignId, (this.counts.get(campaignId) ?? 0) + n);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.counts.size === 0) return;
      const batch = this.counts;
      this.counts = new Map();
      try {
        await this.store.add(batch);
      } catch (err) {
        for (const [id, n] of batch) this.add(id, n);
        this.logger.warn({ err }, 'could not record accept counts; will retry');
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
