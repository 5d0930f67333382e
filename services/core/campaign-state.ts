export const CAMPAIGN_STATES = ['SCHEDULED', 'OPEN', 'SOLD_OUT', 'ENDED'] as const;

export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** What the state depends on, so the rule reads no more of a campaign than it needs. */
export interface CampaignWindowAndStock {
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly currentStock: number;
}

/** Derived, never stored: the time window first, then stock. */
export function campaignState(c: CampaignWindowAndStock, now: Date): CampaignState {
  if (c.startsAt !== null && now < c.startsAt) return 'SCHEDULED';
  if (c.endsAt !== null && now >= c.endsAt) return 'ENDED';
  return c.currentStock > 0 ? 'OPEN' : 'SOLD_OUT';
}
