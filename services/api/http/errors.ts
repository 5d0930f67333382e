import type { ErrorCode } from '../../platform/errors.js';

export type { ErrorCode, FieldProblem } from '../../platform/errors.js';

/**
 * The one place where an error's code becomes an HTTP status. The compiler keeps it complete:
 * every code of platform/errors.ts, and nothing else.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  INVALID_CONTENT_ENCODING: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  PARTICIPATION_NOT_FOUND: 404,
  DEAD_LETTER_NOT_FOUND: 404,
  EXECUTION_NOT_FOUND: 404,
  CAMPAIGN_NOT_STARTED: 409,
  CAMPAIGN_ENDED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  DEAD_LETTER_NOT_REPLAYABLE: 409,
  BATCH_ALREADY_RUNNING: 409,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  DATABASE_UNAVAILABLE: 503,
  BROKER_UNAVAILABLE: 503,
  KUBERNETES_UNAVAILABLE: 503,
  QUERY_TIMEOUT: 504,
  INTERNAL_ERROR: 500,
} as const satisfies Record<ErrorCode, number>;

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}
