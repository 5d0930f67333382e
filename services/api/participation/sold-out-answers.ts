import type { Campaign } from '../../db/campaign-store.js';
import type { ShortCircuitAnswer } from '../../db/participation-store.js';
import { judge } from '../../core/verdict.js';
import { GroupCommit } from '../../platform/group-commit.js';

export interface SoldOutAnswersDeps {
  winnersOf(campaignId: number): Promise<Set<number>>;
  record(answers: readonly ShortCircuitAnswer[]): Promise<void>;
}

/** Campaigns whose winners are kept in memory at most. */
const MAX_CAMPAIGNS = 1_000;

/**
 * Answers for a campaign known to be sold out, without the log. While stock is gone its winners
 * do not change (every win is committed with the decrement that emptied the stock), so they are
 * loaded once, and again only if the campaign's win count says otherwise (stock raised, then
 * sold out anew): a winner asking again is a DUPLICATE, anyone else SOLD_OUT, exactly what the
 * consumer would decide. Each answer is stored before it is given, so it can be looked up by its
 * requestId; concurrent answers share one INSERT.
 */
export class SoldOutAnswers {
  private readonly winners = new Map<number, Promise<Set<number>>>();
  private readonly writer: GroupCommit<ShortCircuitAnswer>;

  constructor(private readonly deps: SoldOutAnswersDeps) {
    this.writer = new GroupCommit((answers) => deps.record(answers), 1_000);
  }

  async answer(campaign: Campaign, userId: number, requestId: string, at: Date): Promise<ShortCircuitAnswer> {
    const won = (await this.winnersOf(campaign)).has(userId);
    const answer: ShortCircuitAnswer = { requestId, campaignId: campaign.id, userId, status: judge(won, 0), answeredAt: at };
    await this.writer.add(answer);
    return answer;
  }

  private async winnersOf(campaign: Campaign): Promise<Set<number>> {
    const cached = this.winners.get(campaign.id);
    if (cached) {
      const winners = await cached;
      if (winners.size === campaign.successCount) return winners;
      if (this.winners.get(campaign.id) === cached) this.winners.delete(campaign.id);
    }
    let loading = this.winners.get(campaign.id);
    if (!loading) {
      if (this.winners.size >= MAX_CAMPAIGNS) this.winners.clear();
      loading = this.deps.winnersOf(campaign.id);
      loading.catch(() => this.winners.delete(campaign.id));
      this.winners.set(campaign.id, loading);
    }
    return loading;
  }
}
