/**
 * Every code an error can carry. They are part of the public contract (clients branch on them):
 * add new ones, never rename. What each means on the wire (its HTTP status) is decided in one
 * place, services/api/http/errors.ts.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'INVALID_CONTENT_ENCODING'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'ROUTE_NOT_FOUND'
  | 'CAMPAIGN_NOT_FOUND'
  | 'PARTICIPATION_NOT_FOUND'
  | 'DEAD_LETTER_NOT_FOUND'
  | 'EXECUTION_NOT_FOUND'
  | 'CAMPAIGN_NOT_STARTED'
  | 'CAMPAIGN_ENDED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'DEAD_LETTER_NOT_REPLAYABLE'
  | 'BATCH_ALREADY_RUNNING'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'HEADERS_TOO_LARGE'
  | 'DATABASE_UNAVAILABLE'
  | 'BROKER_UNAVAILABLE'
  | 'QUERY_TIMEOUT'
  | 'KUBERNETES_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export interface DomainErrorOptions {
  /** Doing the same again later may succeed (a dependency was down), as opposed to a refusal. */
  readonly retriable?: boolean;
  readonly details?: readonly FieldProblem[];
  /** Extra facts for the caller, e.g. the requestId a client should retry with. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** An error whose code and message are safe to show to the caller. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly retriable: boolean;
  readonly details?: readonly FieldProblem[];
  readonly data?: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
    this.details = options.details;
    this.data = options.data;
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  constructor(details: readonly FieldProblem[]) {
    super('VALIDATION_FAILED', `invalid request: ${details.map((d) => `${d.field}: ${d.problem}`).join('; ')}`, { details });
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

/** A dependency could not be reached: nothing was (durably) done, and the same call may be retried. */
export class UnavailableError extends DomainError {
  override readonly name = 'UnavailableError';
  constructor(code: 'DATABASE_UNAVAILABLE' | 'BROKER_UNAVAILABLE' | 'KUBERNETES_UNAVAILABLE', message: string, cause?: unknown, data?: Readonly<Record<string, unknown>>) {
    super(code, message, { retriable: true, cause, data });
  }
}

/** Worth trying again later: a dependency was down, not a refusal. */
export function isRetriable(err: unknown): boolean {
  return err instanceof DomainError && err.retriable;
}
