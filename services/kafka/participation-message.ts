import { z } from 'zod';
import { SHORT_CIRCUIT_VERDICTS, type ShortCircuitVerdict } from '../core/verdict.js';
import { REQUEST_ID_PATTERN } from '../platform/request-id.js';

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

/** The contract, and the words a refused entry's dead letter gives: only ever run on an entry the check below refused. */
export const participationSchema = z.object({
  v: z.literal(1),
  requestId: z.string().regex(REQUEST_ID_PATTERN),
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

// RFC 3339 in UTC as z.iso.datetime() takes it: seconds required, any fraction, only `Z`.
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?Z$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > (DAYS_IN_MONTH[month - 1] ?? 0)) return false;
  return month !== 2 || day < 29 || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
}

const isId = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

/**
 * The schema's rule written out, so that a valid entry (nearly every one the decider reads) costs
 * a few comparisons instead of zod's parse; undefined for anything the schema would refuse.
 * Unknown keys are dropped, as the schema does.
 */
function readValid(json: unknown): ParticipationMessage | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const { v, requestId, campaignId, userId, acceptedAt, answered } = o;
  if (v !== 1 || typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId) || !isId(campaignId) || !isId(userId)) return undefined;
  if (typeof acceptedAt !== 'string' || !isDateTime(acceptedAt)) return undefined;
  if (answered === undefined) return { v, requestId, campaignId, userId, acceptedAt };
  if (!(SHORT_CIRCUIT_VERDICTS as readonly unknown[]).includes(answered)) return undefined;
  return { v, requestId, campaignId, userId, acceptedAt, answered: answered as ShortCircuitVerdict };
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
  const valid = readValid(json);
  if (valid !== undefined) return valid;
  // the schema decides a refusal and words it: an entry readValid misjudged is still read as the schema reads it
  const result = participationSchema.safeParse(json);
  if (!result.success) {
    throw new PoisonMessageError(`invalid participation: ${result.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ')}`);
  }
  return result.data;
}
