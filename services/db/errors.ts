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

/** mysql2's own error (what the consumer's batch connection throws), or the one sequelize wraps. */
function driverError(err: unknown): { errno?: number; code?: string; fatal?: boolean } | undefined {
  if (err instanceof BaseError) return (err as { parent?: { errno?: number; code?: string; fatal?: boolean } }).parent;
  if (err instanceof Error && 'sqlState' in err) return err as { errno?: number; code?: string; fatal?: boolean };
  return undefined;
}

export function isRetryableTransactionError(err: unknown): boolean {
  if (err instanceof BaseError && !(err instanceof DatabaseError)) return false;
  const errno = driverError(err)?.errno;
  return errno !== undefined && RETRYABLE_ERRNOS.has(errno);
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'PROTOCOL_CONNECTION_LOST',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  // the server going down under an open connection (a restart, a kill) rather than refusing a statement
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
]);

/** The database could not be reached or did not answer: nothing can be promised to the caller. */
export function isConnectivityError(err: unknown): boolean {
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true;
  // mysql2 alone (the batch connection), or what sequelize wrapped. `fatal`: mysql2 gave the
  // connection up (lost mid-statement, a command on a closed one), whatever the code says.
  const driver: { code?: unknown; fatal?: unknown } | undefined = err instanceof BaseError ? driverError(err) : err instanceof Error ? (err as { code?: unknown; fatal?: unknown }) : undefined;
  return driver?.fatal === true || (typeof driver?.code === 'string' && UNREACHABLE.has(driver.code));
}

/**
 * A driver error that means "the database is unreachable", as the domain error callers handle
 * (retriable, DATABASE_UNAVAILABLE); undefined for any other error.
 */
export function asDatabaseUnavailable(err: unknown): UnavailableError | undefined {
  if (!isConnectivityError(err)) return undefined;
  return new UnavailableError('DATABASE_UNAVAILABLE', 'the database is unavailable; the request is not confirmed: retry with the same requestId', err);
}
