import { z } from 'zod';
import { DEAD_LETTER_REASON_CODES } from '../../core/dead-letter.js';
import { DECISION_SOURCES, SHORT_CIRCUIT_VERDICTS, VERDICTS } from '../../core/verdict.js';
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

export const ParticipationSoldOutJson = z
  .object({
    requestId,
    status: z.enum(SHORT_CIRCUIT_VERDICTS).meta({ description: 'DUPLICATE for a user who won before the campaign sold out, SOLD_OUT for anyone else.' }),
  })
  .meta({ id: 'ParticipationSoldOut' });

export const ParticipationPendingJson = z.object({ requestId, status: z.literal('PENDING') }).meta({ id: 'ParticipationPending' });

export const ParticipationJson = z
  .object({
    requestId,
    campaignId: positiveId,
    userId,
    status: z.enum(VERDICTS).meta({ description: 'A user who already won is a DUPLICATE, even once stock is gone.' }),
    source: z.enum(DECISION_SOURCES).meta({
      description: 'KAFKA: decided by the consumer in log order; SYNC: by participation-sync; SHORT_CIRCUIT: answered at once because the campaign was sold out, and recorded through the log without a decision.',
    }),
    sequence: logOffset.nullable().meta({ description: 'Log offset; null for SYNC and SHORT_CIRCUIT, which bypass the log.' }),
    partition: count.nullable().meta({ description: 'Log partition; null for SYNC and SHORT_CIRCUIT.' }),
    acceptedAt: instant,
    decidedAt: instant,
  })
  .meta({ id: 'Participation' });

export const UserParticipationJson = z
  .intersection(ParticipationJson, z.object({ attempts: z.number().int().min(1).meta({ description: 'Decided requests of this user in this campaign.' }) }))
  .meta({ id: 'UserParticipation' });

export const UserParticipationRefusedJson = z
  .object({
    requestId: requestId.nullable(),
    campaignId: positiveId,
    userId: positiveId,
    status: z.literal('REFUSED'),
    reasonCode: z.enum(DEAD_LETTER_REASON_CODES).meta({ description: 'REQUEST_ID_REUSED: the requestId was already decided for another user or campaign.' }),
    reason: z.string(),
    sequence: logOffset.meta({ description: 'Where the refused request stood in the log.' }),
    partition: count,
    refusedAt: instant,
    attempts: z.number().int().min(1).meta({ description: 'Refused requests of this user in this campaign.' }),
  })
  .meta({ id: 'UserParticipationRefused' });

export const UserParticipationPendingJson = z
  .object({ campaignId: positiveId, userId: positiveId, status: z.literal('PENDING') })
  .meta({ id: 'UserParticipationPending' });
