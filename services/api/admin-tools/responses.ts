import { z } from 'zod';
import { count, positiveId } from '../http/response-schemas.js';

export const BulkParticipationResultJson = z
  .object({
    requested: z.number().int().min(1),
    acknowledged: count.meta({ description: 'Acknowledged by the broker: in the log.' }),
    notConfirmed: count.meta({ description: 'Sent without an acknowledgement in time: each may or may not be in the log.' }),
    notSent: count.meta({ description: 'Never sent: the run stops after the first chunk that is not fully acknowledged.' }),
    publishMs: count,
    campaignId: positiveId,
    ratePerSec: count.meta({ description: 'acknowledged per second of publishMs, rounded.' }),
  })
  .meta({ id: 'BulkParticipationResult' });

export const PartitionCountJson = z
  .object({
    topic: z.string(),
    partitionCount: z.number().int().min(1),
    source: z.enum(['broker', 'KafkaTopic']).meta({ description: 'broker: what the broker reported at start; KafkaTopic: the Strimzi KafkaTopic that manages the topic (KAFKA_TOPIC_RESOURCE), read on each call.' }),
  })
  .meta({ id: 'PartitionCount' });
