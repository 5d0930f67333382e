/**
 * The participation's inputs as the zod schemas in routes.ts and http/schemas.ts accept them,
 * written out: nearly every request on the spike path is valid, and for it this costs a few
 * comparisons instead of zod's parse. Undefined means "not the common valid form": the caller
 * then runs the schema, which words the refusal (so a refusal reads the same on both HTTP paths).
 * A property test holds the two to the same answers.
 */

import { REQUEST_ID_PATTERN } from '../../platform/request-id.js';
import { ID_PARAM_PATTERN } from '../http/schemas.js';

/** A path id (idParam): a positive safe integer in decimal, no sign, no leading zero. */
export function readIdParam(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !ID_PARAM_PATTERN.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

export interface ParticipationInput {
  userId: number;
  requestId?: string;
}

/** A participation body (participationBody): other keys are dropped, as the schema strips them. */
export function readParticipationBody(raw: unknown): ParticipationInput | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { userId, requestId } = raw as Record<string, unknown>;
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0) return undefined;
  if (requestId === undefined) return { userId };
  if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) return undefined;
  return { userId, requestId };
}
