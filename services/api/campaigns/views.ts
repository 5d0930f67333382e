import { campaignState } from '../../core/campaign-state.js';
import type { z } from 'zod';
import type { Campaign } from '../../db/campaign-store.js';
import type { CampaignJson, CampaignStatusJson } from './responses.js';

export function campaignView(c: Campaign, now: Date): z.input<typeof CampaignJson> {
  return {
    id: c.id,
    name: c.name,
    totalStock: c.totalStock,
    currentStock: c.currentStock,
    status: campaignState(c, now),
    startsAt: c.startsAt?.toISOString() ?? null,
    endsAt: c.endsAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

export function statusView(c: Campaign, pending: number): z.input<typeof CampaignStatusJson> {
  const failCount = c.soldOutCount + c.duplicateCount;
  const used = c.totalStock - c.currentStock;
  return {
    campaignId: c.id,
    campaignName: c.name,
    totalStock: c.totalStock,
    currentStock: c.currentStock,
    successCount: c.successCount,
    failCount,
    soldOutCount: c.soldOutCount,
    duplicateCount: c.duplicateCount,
    totalParticipation: c.successCount + failCount,
    stockUsageRate: `${(c.totalStock === 0 ? 0 : (used * 100) / c.totalStock).toFixed(2)}%`,
    pending,
  };
}
