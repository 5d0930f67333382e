import { randomFillSync } from 'node:crypto';

/**
 * Request ids the system makes itself, as UUID version 7 (RFC 9562): the first 48 bits are the
 * Unix time in milliseconds, the rest random. Ids made later sort after earlier ones, so the
 * history's unique index on request_id grows at its right edge instead of taking every insert on
 * a random page of an index larger than memory. Within one millisecond the order is random, which
 * keeps inserts inside the same few pages.
 */

/** What a request id may be, whoever made it: safe in URLs, headers and log lines. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Random bytes for many ids per call into the kernel: this runs once per accepted request. */
const pool = Buffer.alloc(16 * 512);
let next = pool.length;
const id = Buffer.alloc(16);

export function timeOrderedId(nowMs: number = Date.now()): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  pool.copy(id, 6, next + 6, next + 16);
  next += 16;
  id.writeUIntBE(nowMs, 0, 6);
  id.writeUInt8(0x70 | (id.readUInt8(6) & 0x0f), 6);
  id.writeUInt8(0x80 | (id.readUInt8(8) & 0x3f), 8);
  const hex = id.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The millisecond an id of timeOrderedId was made in. */
export function timeOfId(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
