import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatabaseError } from 'sequelize';
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
    // the server killed or shut down under an open connection, and a command on a connection mysql2 gave up
    assert.equal(isConnectivityError(serverError(1053, 'ER_SERVER_SHUTDOWN')), true);
    assert.equal(isConnectivityError(serverError(1927, 'ER_CONNECTION_KILLED')), true);
    assert.equal(isConnectivityError(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true })), true);
    assert.equal(isConnectivityError(null), false);
  });
});

describe('driver errors as sequelize wraps them (the API and everything else)', () => {
  it('a connection mysql2 gave up is the database being unavailable', () => {
    const lost = new DatabaseError(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true, sql: '' }));
    assert.equal(isConnectivityError(lost), true);
    const refused = new DatabaseError(Object.assign(new Error('ER_NO_SUCH_TABLE'), { errno: 1146, code: 'ER_NO_SUCH_TABLE', fatal: false, sql: '' }));
    assert.equal(isConnectivityError(refused), false);
  });
});
