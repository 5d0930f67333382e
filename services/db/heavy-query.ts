import type { Connection as MysqlConnection } from 'mysql2';
import type { Sequelize } from 'sequelize';
import { DomainError } from '../platform/errors.js';

/** The statement ran longer than its server-side limit and was stopped by the database; the message is the caller's answer. */
export class QueryTimeoutError extends DomainError {
  override readonly name = 'QueryTimeoutError';
  constructor(readonly limitMs: number) {
    super('QUERY_TIMEOUT', `the query took longer than ${limitMs} ms (HEAVY_QUERY_TIMEOUT_MS) and was stopped; nothing was changed`);
  }
}

/** The caller gave up (e.g. the HTTP client went away) and the statement was killed. */
export class QueryCancelledError extends Error {
  override readonly name = 'QueryCancelledError';
  constructor() {
    super('the query was cancelled');
  }
}

const ER_STATEMENT_TIMEOUT = 1969; // MariaDB: max_statement_time exceeded

/**
 * Analytical statements over a whole campaign's history: streamed row by row (memory stays flat),
 * limited on the server (`SET STATEMENT max_statement_time … FOR`, MariaDB), and killed with
 * `KILL QUERY` when the caller's signal aborts, so abandoned work does not keep running.
 */
export class HeavyQueries {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly timeoutMs: number,
  ) {}

  /** All rows as objects keyed by column name; for results that are small though the work is not. */
  async rows<T>(sql: string, values: (string | number)[], signal?: AbortSignal): Promise<T[]> {
    const rows: T[] = [];
    await this.run(sql, values, false, (row) => rows.push(row as T), signal);
    return rows;
  }

  /** Every row, in order, as an array of column values; nothing is kept. */
  each(sql: string, values: (string | number)[], onRow: (row: unknown[]) => void, signal?: AbortSignal): Promise<void> {
    return this.run(sql, values, true, (row) => onRow(row as unknown[]), signal);
  }

  private async run(sql: string, values: (string | number)[], rowsAsArray: boolean, onRow: (row: unknown) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new QueryCancelledError();
    const manager = this.sequelize.connectionManager;
    const pooled = await manager.getConnection({ type: 'read' });
    // sequelize's mysql dialect pools plain mysql2 connections; streaming needs the raw one
    const conn = pooled as unknown as MysqlConnection;
    let kill: Promise<unknown> | undefined;
    const onAbort = () => {
      kill = this.sequelize.query(`KILL QUERY ${conn.threadId}`).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new QueryCancelledError();
      await new Promise<void>((resolve, reject) => {
        const query = conn.query({ sql: `SET STATEMENT max_statement_time=${(this.timeoutMs / 1000).toFixed(3)} FOR ${sql}`, values, rowsAsArray });
        query.on('result', (row) => onRow(row));
        query.on('error', reject);
        query.on('end', () => resolve());
      });
    } catch (err) {
      if ((err as { errno?: unknown }).errno === ER_STATEMENT_TIMEOUT) throw new QueryTimeoutError(this.timeoutMs);
      if (signal?.aborted) throw new QueryCancelledError();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // the connection stays ours until the kill is done, so it can never hit another caller's statement
      await kill;
      manager.releaseConnection(pooled);
    }
  }
}
