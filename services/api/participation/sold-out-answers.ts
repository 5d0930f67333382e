import type { ShortCircuitAnswer } from '../../db/participation-store.js';
import { GroupCommit } from '../../platform/group-commit.js';

export interface SoldOutAnswersDeps {
  winnersOf(campaignId: number): Promise<Set<number>>;
  record(answers: readonly ShortCircuitAnswer[]): Promise<void>;
  /** Campaigns whose winners are kept in memory at most. */
  maxCampaigns?: number;
}

/**
 * Answers for a campaign known to be sold out, without the log. Once stock is gone its winners
 * never change (every win is committed with the decrement that emptied the stock), so they are
 * loaded once: a winner asking again is a DUPLICATE, anyone else SOLD_OUT, exactly what the
 * consumer would decide. Each answer is stored before it is given, so it can be looked up by its
 * requestId; concurrent answers share one INSERT.
 */
export class SoldOutAnswers {
  private readonly winners = new Map<number, Promise<Set<number>>>();
  private readonly writer: GroupCommit<ShortCircuitAnswer>;
  private readonly maxCampaigns: number;

  constructor(private readonly deps: SoldOutAnswersDeps) {
    this.writer = new GroupCommit((answers) => deps.record(answers), 1_000);
    this.maxCampaigns = deps.maxCampaigns ?? 1_000;
  }

  async answer(campaignId: number, userId: number, requestId: string, at: Date): Promise<ShortCircuitAnswer> {
    const won = (await this.winnersOf(campaignId)).has(userId);
    const answer: ShortCircuitAnswer = { requestId, campaignId, userId, status: won ? 'DUPLICATE' : 'SOLD_OUT', answeredAt: at };
    await this.writer.add(answer);
    return answer;
  }

  private winnersOf(campaignId: number): Promise<Set<number>> {
    let winners = this.winners.get(campaignId);
    if (!winners) {
      if (this.winners.size >= this.maxCampaigns) this.winners.clear();
      winners = this.deps.winnersOf(campaignId);
      winners.catch(() => this.winners.delete(campaignId));
      this.winners.set(campaignId, winners);
    }
    return winners;
  }
}
