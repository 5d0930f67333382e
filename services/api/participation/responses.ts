import { z } from 'zod';
import { VERDICTS } from '../../core/verdict.js';
import { count, instant, positiveId } from '../http/response-schemas.js';
import { requestId, userId } from '../http/schemas.js';

const logOffset = count;

export const ParticipationAcceptedJson = z
  .object({
    requestId,
    status: z.literal('PENDING'),
    sequence: logOffset.meta({ description: 'Offset in the log partition: with one partition it orders every request.' }),
    partition: count,
  })
  .meta({ id: 'ParticipationAccepted' });

export const ParticipationSoldOutJson = z.object({ requestId, status: z.literal('SOLD_OUT') }).meta({ id: 'ParticipationSoldOut' });

export const ParticipationPendingJson = z.object({ requestId, status: z.literal('PENDING') }).meta({ id: 'ParticipationPending' });

export const ParticipationJson = z
  .object({
    requestId,
    campaignId: positiveId,
    userId,
    status: z.enum(VERDICTS).meta({ description: 'A user who already won is a DUPLICATE, even once stock is gone.' }),
    source: z.enum(['KAFKA', 'SYNC']).meta({ description: 'KAFKA: decided by the consumer in log order; SYNC: by participation-sync.' }),
    sequence: logOffset.nullable().meta({ description: 'Log offset; null for SYNC, which bypasses the log.' }),
    partition: count.nullable().meta({ description: 'Log partition; null for SYNC.' }),
    acceptedAt: instant,
    decidedAt: instant,
  })
  .meta({ id: 'Participation' });

export const UserParticipationJson = z
  .intersection(ParticipationJson, z.object({ attempts: z.number().int().min(1).meta({ description: 'Decided requests of this user in this campaign.' }) }))
  .meta({ id: 'UserParticipation' });

export const UserParticipationPendingJson = z
  .object({ campaignId: positiveId, userId: positiveId, status: z.literal('PENDING') })
  .meta({ id: 'UserParticipationPending' });
