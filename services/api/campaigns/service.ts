import type { Campaign, CampaignStore, NewCampaign } from '../../db/campaign-store.js';
import { DomainError, NotFoundError } from '../../platform/errors.js';
import { campaignState } from '../../core/campaign-state.js';

export interface CampaignServiceDeps {
  store: CampaignStore;
  clock: () => Date;
}

export class CampaignService {
  private readonly store: CampaignStore;
  private readonly clock: () => Date;

  constructor(deps: CampaignServiceDeps) {
    ({ store: this.store, clock: this.clock } = deps);
  }

  create(input: NewCampaign): Promise<Campaign> {
    return this.store.create(input, this.clock());
  }

  async list(page: number, size: number): Promise<{ items: Campaign[]; total: number }> {
    const [items, total] = await Promise.all([this.store.list(size, page * size), this.store.count()]);
    return { items, total };
  }

  async get(id: number): Promise<Campaign> {
    const campaign = await this.store.findById(id);
    if (!campaign) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `campaign ${id} does not exist`);
    return campaign;
  }

  async getParticipable(id: number): Promise<Campaign> {
    const campaign = await this.get(id);
    assertParticipable(campaign, this.clock());
    return campaign;
  }
}

/** Refuses participation outside the campaign's window; sold out is an answer, not an error. */
export function assertParticipable(campaign: Campaign, now: Date): 'OPEN' | 'SOLD_OUT' {
  const state = campaignState(campaign, now);
  if (state === 'SCHEDULED') throw new DomainError('CAMPAIGN_NOT_STARTED', `campaign ${campaign.id} has not started yet`);
  if (state === 'ENDED') throw new DomainError('CAMPAIGN_ENDED', `campaign ${campaign.id} has ended`);
  return state;
}
