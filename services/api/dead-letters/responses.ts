import { z } from 'zod';
import { DEAD_LETTER_REASON_CODES } from '../../core/dead-letter.js';
import { count, instant, positiveId } from '../http/response-schemas.js';
import { requestId } from '../http/schemas.js';

/** How much of a dead letter's payload the API shows. */
export const PREVIEW_BYTES = 2_048;

export const DeadLetterJson = z
  .object({
    id: positiveId,
    reasonCode: z.enum(DEAD_LETTER_REASON_CODES).meta({
      description: 'POISON: not a valid participation; UNKNOWN_CAMPAIGN: its campaign does not exist (replayable once it does); REQUEST_ID_REUSED: its requestId was already decided for another user or campaign.',
    }),
    reason: z.string(),
    replayable: z.boolean().meta({ description: 'Whether a replay can succeed (UNKNOWN_CAMPAIGN only).' }),
    request: z
      .object({ requestId, campaignId: positiveId, userId: positiveId })
      .nullable()
      .meta({ description: 'Whose request it was; null when the payload could not be read.' }),
    original: z.object({ topic: z.string(), partition: count, offset: count }),
    key: z.string().nullable().meta({ description: 'The message key as UTF-8.' }),
    payload: z.string().nullable().meta({ description: `The first ${PREVIEW_BYTES} bytes of the message as UTF-8; null for a tombstone.` }),
    payloadBytes: count.meta({ description: 'Full payload size.' }),
    createdAt: instant,
    publishedAt: instant.nullable().meta({ description: 'When the copy reached the dead-letter topic; null while the relay has not managed yet.' }),
    publishError: z.string().nullable().meta({ description: 'Why the broker refused the copy for good, if it did (the letter stays in the database).' }),
    replayedAt: instant.nullable(),
  })
  .meta({ id: 'DeadLetter' });

export const DeadLetterReplayedJson = z
  .object({ id: positiveId, requestId, sequence: count.meta({ description: 'New log offset.' }), partition: count })
  .meta({ id: 'DeadLetterReplayed' });
