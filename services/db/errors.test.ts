import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConnectivityError, isRetryableTransactionError } from './errors.js';

/** An error as mysql2 throws it for a statement the server refused. */
function serverError(errno: number, code: string): Error {
  return Object.assign(new Error(code), { errno, code, sqlState: 'HY000', fatal: false });
}

/** An error as mysql2 throws it when the connection could not be opened or was lost. */
function connectionError(code: string): Error {
  return Object.assign(new Error(code), { code, fatal: true });
}

describe('driver errors straight from mysql2 (the consumer batch connection)', () => {
  it('a deadlock or a lock wait timeout is retryable, another refusal is not', () => {
    assert.equal(isRetryableTransactionError(serverError(1213, 'ER_LOCK_DEADLOCK')), true);
    assert.equal(isRetryableTransactionError(serverError(1205, 'ER_LOCK_WAIT_TIMEOUT')), true);
    assert.equal(isRetryableTransactionError(serverError(1146, 'ER_NO_SUCH_TABLE')), false);
    assert.equal(isRetryableTransactionError(new Error('other')), false);
  });

  it('a refused or lost connection is the database being unavailable, a refused statement is not', () => {
    for (const code of ['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'ECONNRESET']) assert.equal(isConnectivityError(connectionError(code)), true, code);
    assert.equal(isConnectivityError(serverError(1146, 'ER_NO_SUCH_TABLE')), false);
    assert.equal(isConnectivityError(new Error('other')), false);
    assert.equal(isConnectivityError(null), false);
  });
});
