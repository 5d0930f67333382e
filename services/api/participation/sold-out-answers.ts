import type { Campaign } from '../../db/campaign-store.js';
import { judge, type ShortCircuitVerdict } from '../../core/verdict.js';

export interface SoldOutAnswersDeps {
  /** The campaign's winners: user id → the request id that won. */
  winnersOf(campaignId: number): Promise<ReadonlyMap<number, string>>;
  /** Milliseconds; a failed load is tried again no sooner than `retryMs` later. */
  now?: () => number;
  retryMs?: number;
  onLoadFailed?: (campaignId: number, err: unknown) => void;
}

/** Campaigns whose winners are kept in memory at most. */
const MAX_CAMPAIGNS = 1_000;

interface Winners {
  /** Settled: the winners as loaded. */
  map?: ReadonlyMap<number, string>;
  loading?: boolean;
  failedAt?: number;
}

/**
 * The answer for a campaign known to be sold out, judged in memory. While stock is gone its winners
 * do not change (every win is committed with the decrement that emptied the stock), so they are
 * loaded once, and again only if the campaign's win count says otherwise (stock raised, then sold
 * out anew): a winner asking again is a DUPLICATE, anyone else SOLD_OUT, exactly what the consumer
 * would decide. It never waits: until the winners are in memory it has no answer, and the request
 * goes to the log to be decided like any other.
 */
export class SoldOutAnswers {
  private readonly campaigns = new Map<number, Winners>();
  private readonly now: () => number;
  private readonly retryMs: number;

  constructor(private readonly deps: SoldOutAnswersDeps) {
    this.now = deps.now ?? Date.now;
    this.retryMs = deps.retryMs ?? 1_000;
  }

  /**
   * SOLD_OUT or DUPLICATE, or undefined when it cannot tell without waiting, or when the request is
   * the user's own win asked again (its answer is SUCCESS, which only the log's lookup can give).
   */
  verdict(campaign: Campaign, userId: number, requestId: string): ShortCircuitVerdict | undefined {
    const winners = this.winnersOf(campaign);
    if (winners === undefined) return undefined;
    const won = winners.get(userId);
    if (won === requestId) return undefined;
    return judge(won !== undefined, 0);
  }

  private winnersOf(campaign: Campaign): ReadonlyMap<number, string> | undefined {
    let entry = this.campaigns.get(campaign.id);
    if (entry === undefined) {
      if (this.campaigns.size >= MAX_CAMPAIGNS) this.campaigns.clear();
      entry = {};
      this.campaigns.set(campaign.id, entry);
    }
    if (entry.map !== undefined && entry.map.size === campaign.successCount) return entry.map;
    if (!entry.loading && (entry.failedAt === undefined || this.now() - entry.failedAt >= this.retryMs)) {
      const target = entry;
      target.loading = true;
      void this.deps
        .winnersOf(campaign.id)
        .then(
          (map) => {
            target.map = map;
            target.failedAt = undefined;
          },
          (err: unknown) => {
            target.failedAt = this.now();
            this.deps.onLoadFailed?.(campaign.id, err);
          },
        )
        .finally(() => (target.loading = false));
    }
    return undefined;
  }
}
