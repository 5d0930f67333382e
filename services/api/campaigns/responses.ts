import { z } from 'zod';
import { CAMPAIGN_STATES } from '../../core/campaign-state.js';
import { count, instant, percent, positiveId } from '../http/response-schemas.js';

/** The largest stock a campaign may be created with. */
export const MAX_STOCK = 10_000_000;

export const CampaignJson = z
  .object({
    id: positiveId,
    name: z.string(),
    totalStock: z.number().int().min(1).max(MAX_STOCK),
    currentStock: count,
    status: z.enum(CAMPAIGN_STATES).meta({ description: 'Derived at read time, never stored: the time window first, then stock.' }),
    startsAt: instant.nullable(),
    endsAt: instant.nullable(),
    createdAt: instant,
  })
  .meta({ id: 'Campaign' });

export const CampaignStatusJson = z
  .object({
    campaignId: positiveId,
    campaignName: z.string(),
    totalStock: z.number().int().min(1),
    currentStock: count,
    successCount: count,
    failCount: count.meta({ description: 'soldOutCount + duplicateCount' }),
    soldOutCount: count.meta({ description: 'Decided SOLD_OUT; the ingest short-circuit for a sold-out campaign is not counted.' }),
    duplicateCount: count,
    totalParticipation: count.meta({ description: 'successCount + failCount' }),
    stockUsageRate: percent('(totalStock - currentStock) / totalStock, in percent with two decimals.', '42.50%'),
    pending: count.meta({
      description: 'Accepted into the log and not yet decided. Accept counts are flushed periodically, so it can briefly read low.',
    }),
  })
  .meta({ id: 'CampaignStatus' });
