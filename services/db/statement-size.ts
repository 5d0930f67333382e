import type { Connection, RowDataPacket } from 'mysql2/promise';

/**
 * The server refuses any statement longer than its `max_allowed_packet` (MySQL 8: 64 MiB,
 * MariaDB: 16 MiB by default, as low as 1 KiB if configured so), and a consumer that keeps
 * building a statement the server refuses retries the same batch forever. So every statement the
 * consumer builds is measured before it is sent, against the server's own limit, read at start.
 */

/** Below this the consumer cannot be sure to fit even one dead letter's fixed columns with room for its payload. */
export const MIN_MAX_ALLOWED_PACKET = 64 * 1024;

// the characters MySQL escaping writes as two (NUL, backspace, tab, LF, CR, ^Z, quotes, backslash)
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\0\b\t\n\r\x1a"'\\]/g;

/**
 * Length of a replacement value in the SQL text the driver sends (mysql2's escaping, which
 * sequelize's mysql dialect shares): a Buffer becomes
 * X'<hex>', so a payload counts twice; a string is quoted with its special characters
 * backslash-escaped.
 */
export function sqlTextBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (Buffer.isBuffer(value)) return 3 + 2 * value.length;
  if (typeof value === 'string') return 2 + Buffer.byteLength(value) + (value.match(ESCAPED)?.length ?? 0);
  if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + sqlTextBytes(v) + 2, 0);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value).length;
  throw new TypeError(`no SQL text size for a ${typeof value}`);
}

/** What a statement may measure: the server's limit less a margin for the protocol and for estimates that are a little off. */
export function statementBudget(maxAllowedPacket: number): number {
  if (!Number.isSafeInteger(maxAllowedPacket) || maxAllowedPacket < MIN_MAX_ALLOWED_PACKET) {
    throw new Error(`the server's max_allowed_packet is ${maxAllowedPacket} bytes; the consumer needs at least ${MIN_MAX_ALLOWED_PACKET}`);
  }
  return maxAllowedPacket - Math.floor(maxAllowedPacket / 8);
}

/** The limit this connection's statements are held to (the session value, which new connections take from the global one). */
export async function readMaxAllowedPacket(conn: Connection): Promise<number> {
  const [[row]] = await conn.query<RowDataPacket[]>('SELECT @@max_allowed_packet AS bytes');
  return Number(row?.bytes);
}

/**
 * Splits items, in order, into runs of at most `maxItems` whose sizes add up to at most `budget`.
 * An item larger than the budget on its own is a caller's bug (it must be cut to fit first).
 */
export function chunkBySize<T>(items: readonly T[], sizeOf: (item: T) => number, budget: number, maxItems: number): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (size > budget) throw new RangeError(`an item of ${size} bytes cannot fit a statement of ${budget}`);
    if (chunk.length > 0 && (chunk.length >= maxItems || bytes + size > budget)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
