import type { Campaign } from '../../db/campaign-store.js';

export interface CampaignCacheDeps {
  load: (id: number) => Promise<Campaign | null>;
  ttlMs: number;
  maxEntries?: number;
  /** Milliseconds, for the TTL. */
  now?: () => number;
}

/**
 * A short-lived view of campaigns for the ingest path: existence, window and whether stock is
 * gone, without a database read per request. Concurrent misses share one load. Staleness is
 * bounded by the TTL and only ever delays the sold-out short-circuit: the consumer decides.
 */
export class CampaignCache {
  private readonly entries = new Map<number, { campaign: Campaign; until: number }>();
  private readonly loading = new Map<number, Promise<Campaign | null>>();

  private readonly load: (id: number) => Promise<Campaign | null>;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(deps: CampaignCacheDeps) {
    ({ load: this.load, ttlMs: this.ttlMs } = deps);
    this.maxEntries = deps.maxEntries ?? 10_000;
    this.now = deps.now ?? Date.now;
  }

  async get(id: number): Promise<Campaign | null> {
    const hit = this.entries.get(id);
    if (hit && hit.until > this.now()) return hit.campaign;
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    const campaign = await pending;
    // Misses are not cached: a campaign created a moment ago must not 404.
    if (campaign) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(id, { campaign, until: this.now() + this.ttlMs });
    }
    return campaign;
  }
}
