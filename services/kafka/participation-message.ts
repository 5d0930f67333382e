import { z } from 'zod';
import { SHORT_CIRCUIT_VERDICTS, type ShortCircuitVerdict } from '../core/verdict.js';

/** The event on the participation topic. Versioned so that the format can evolve. */
export interface ParticipationMessage {
  v: 1;
  requestId: string;
  campaignId: number;
  userId: number;
  /** When the API accepted it (ISO-8601, UTC). */
  acceptedAt: string;
  /**
   * Set when the API already answered the request without waiting for a decision (the campaign was
   * sold out): the consumer records this answer instead of deciding, so what the user was told
   * is what the history says.
   */
  answered?: ShortCircuitVerdict;
}

const schema = z.object({
  v: z.literal(1),
  requestId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  campaignId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  userId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  acceptedAt: z.iso.datetime(),
  answered: z.enum(SHORT_CIRCUIT_VERDICTS).optional(),
});

export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

export function encodeParticipation(message: ParticipationMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** Anything that is not a valid participation is poison: it can never succeed, however often retried. */
export function decodeParticipation(value: Buffer | null): ParticipationMessage {
  if (value === null) throw new PoisonMessageError('empty message (tombstone)');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new PoisonMessageError('not JSON');
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new PoisonMessageError(`invalid participation: ${result.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ')}`);
  }
  return result.data;
}
