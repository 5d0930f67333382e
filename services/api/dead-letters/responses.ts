import { z } from 'zod';
import { count, instant, positiveId } from '../http/response-schemas.js';
import { requestId } from '../http/schemas.js';

/** How much of a dead letter's payload the API shows. */
export const PREVIEW_BYTES = 2_048;

export const DeadLetterJson = z
  .object({
    id: positiveId,
    reason: z.string(),
    original: z.object({ topic: z.string(), partition: count, offset: count }),
    key: z.string().nullable().meta({ description: 'The message key as UTF-8.' }),
    payload: z.string().nullable().meta({ description: `The first ${PREVIEW_BYTES} bytes of the message as UTF-8; null for a tombstone.` }),
    payloadBytes: count.meta({ description: 'Full payload size.' }),
    createdAt: instant,
    replayedAt: instant.nullable(),
  })
  .meta({ id: 'DeadLetter' });

export const DeadLetterReplayedJson = z
  .object({ id: positiveId, requestId, sequence: count.meta({ description: 'New log offset.' }), partition: count })
  .meta({ id: 'DeadLetterReplayed' });
