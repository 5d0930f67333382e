import { z } from 'zod';
import { count, positiveId } from '../http/response-schemas.js';

export const BulkParticipationResultJson = z
  .object({
    requested: z.number().int().min(1),
    published: count,
    failed: count,
    publishMs: count,
    campaignId: positiveId,
    ratePerSec: count.meta({ description: 'published per second of publishMs, rounded.' }),
  })
  .meta({ id: 'BulkParticipationResult' });

export const PartitionCountJson = z.object({ topic: z.string(), partitionCount: z.number().int().min(1) }).meta({ id: 'PartitionCount' });
