import { BaseError, ConnectionError, DatabaseError, TimeoutError, UniqueConstraintError } from 'sequelize';
import { UnavailableError } from '../platform/errors.js';

/** The unique key a failed INSERT collided with, from MySQL's "Duplicate entry … for key '…'". */
export function violatedUniqueKey(err: unknown): string | undefined {
  if (!(err instanceof UniqueConstraintError)) return undefined;
  const message = (err.parent as { sqlMessage?: string } | undefined)?.sqlMessage ?? err.message;
  return /for key '(?:[^'.]*\.)?([^']+)'/.exec(message)?.[1];
}

const RETRYABLE_ERRNOS = new Set([
  1205, // lock wait timeout
  1213, // deadlock: InnoDB rolled the transaction back, so running it again is safe
]);

export function isRetryableTransactionError(err: unknown): boolean {
  if (!(err instanceof DatabaseError)) return false;
  const errno = (err.parent as { errno?: number } | undefined)?.errno;
  return errno !== undefined && RETRYABLE_ERRNOS.has(errno);
}

/** The database could not be reached or did not answer: nothing can be promised to the caller. */
export function isConnectivityError(err: unknown): boolean {
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true;
  if (err instanceof BaseError) {
    const code = (err as { parent?: { code?: string } }).parent?.code;
    return code === 'ECONNREFUSED' || code === 'PROTOCOL_CONNECTION_LOST' || code === 'ETIMEDOUT' || code === 'ECONNRESET';
  }
  return false;
}

/**
 * A driver error that means "the database is unreachable", as the domain error callers handle
 * (retriable, DATABASE_UNAVAILABLE); undefined for any other error.
 */
export function asDatabaseUnavailable(err: unknown): UnavailableError | undefined {
  if (!isConnectivityError(err)) return undefined;
  return new UnavailableError('DATABASE_UNAVAILABLE', 'the database is unavailable; the request is not confirmed: retry with the same requestId', err);
}
