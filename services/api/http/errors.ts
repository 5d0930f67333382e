/**
 * Every error code the API can answer with, and the HTTP status it travels with. Codes are part of
 * the public contract: add new ones, never rename.
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
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

/** An error whose message is safe to show to the client. */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly FieldProblem[],
    /** Extra fields for the envelope's data, e.g. the requestId a client should retry with. */
    readonly data?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(details: readonly FieldProblem[]) {
    super('VALIDATION_FAILED', `invalid request: ${details.map((d) => `${d.field}: ${d.problem}`).join('; ')}`, details);
  }
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
}

/** A dependency could not be reached: the request was not (durably) done and may be retried. */
export class UnavailableError extends AppError {
  override readonly name = 'UnavailableError';
  constructor(
    code: 'DATABASE_UNAVAILABLE' | 'BROKER_UNAVAILABLE',
    message: string,
    override readonly cause?: unknown,
    data?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, undefined, data);
  }
}
