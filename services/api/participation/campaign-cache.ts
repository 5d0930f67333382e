import type { Campaign } from '../../db/campaign-store.js';

export interface CampaignCacheDeps {
  load: (id: number) => Promise<Campaign | null>;
  ttlMs: number;
  maxEntries?: number;
  /** Milliseconds, for the TTL. */
  now?: () => number;
  /** A refresh that failed; the stale entry keeps being served. */
  onRefreshFailed?: (id: number, err: unknown) => void;
}

/** What the cache holds for one campaign; `loadedAt` tells the caller how fresh it is. */
export interface CachedCampaign {
  readonly campaign: Campaign;
  readonly loadedAt: number;
}

/**
 * The ingest path's view of campaigns: existence, window and whether stock is gone, without a
 * database read per request. A known campaign is always answered from memory: once its entry is
 * older than the TTL, one refresh runs in the background while the old entry is served, and a
 * refresh that fails (the database is slow or down) leaves the old entry in place. Only a campaign
 * never seen waits, for one load shared by every concurrent request. The consumer decides, so a
 * stale entry can only delay the sold-out short-circuit, which `isFresh` guards.
 */
export class CampaignCache {
  private readonly entries = new Map<number, CachedCampaign>();
  private readonly loading = new Map<number, Promise<Campaign | null>>();

  private readonly load: (id: number) => Promise<Campaign | null>;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly onRefreshFailed: (id: number, err: unknown) => void;

  constructor(deps: CampaignCacheDeps) {
    ({ load: this.load, ttlMs: this.ttlMs } = deps);
    this.maxEntries = deps.maxEntries ?? 10_000;
    this.now = deps.now ?? Date.now;
    this.onRefreshFailed = deps.onRefreshFailed ?? (() => undefined);
  }

  /** The entry at once when there is one (refreshing it behind the answer if it is old), else one shared load. */
  get(id: number): CachedCampaign | Promise<CachedCampaign | null> {
    const hit = this.entries.get(id);
    if (hit === undefined || this.ttlMs === 0) return this.fetch(id).then(() => this.entries.get(id) ?? null);
    if (this.now() - hit.loadedAt >= this.ttlMs && !this.loading.has(id)) {
      this.fetch(id).catch((err: unknown) => this.onRefreshFailed(id, err));
    }
    return hit;
  }

  /**
   * Young enough to short-circuit on: a stale "sold out" could hide stock raised since. With a TTL
   * of 0 every request reads the database itself (tests), so every entry it gets is fresh.
   */
  isFresh(entry: CachedCampaign): boolean {
    return this.ttlMs === 0 || this.now() - entry.loadedAt < this.ttlMs;
  }

  private fetch(id: number): Promise<Campaign | null> {
    let pending = this.loading.get(id);
    if (pending) return pending;
    const started = this.now();
    pending = this.load(id)
      .then((campaign) => {
        if (campaign) {
          if (this.entries.size >= this.maxEntries && !this.entries.has(id)) this.entries.clear();
          // the time the read began: anything committed after it may be missing from the row
          this.entries.set(id, { campaign, loadedAt: started });
        } else {
          // misses are not cached: a campaign created a moment ago must not 404
          this.entries.delete(id);
        }
        return campaign;
      })
      .finally(() => this.loading.delete(id));
    this.loading.set(id, pending);
    return pending;
  }
}
