/**
 * The text of a `LOAD DATA LOCAL INFILE` and its statement, built in memory: fields separated by
 * tabs, rows ended by newlines, `\` the escape character, `\N` a NULL (the server's defaults,
 * spelled out in the statement so a changed default cannot misread the rows).
 *
 * With LOCAL the server cannot stop the client's transmission midway, so MySQL and MariaDB treat
 * a duplicate key as with IGNORE and a value that does not fit as a warning, not an error (the
 * row is skipped or the value cut). `loadedExactly` is how a caller tells: every row sent was
 * stored and nothing was said about any of them.
 */

/** A field's value: NULL, a number, or text (a datetime as `sqlDateTime` writes it). */
export type LoadDataValue = string | number | null;

/** The characters that would end a field or a row early, or that begin an escape. */
const SPECIAL = /[\\\t\n\0]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\0': '\\0' };

export function loadDataField(value: LoadDataValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} is no value of a LOAD DATA field`);
    return String(value);
  }
  return value.replace(SPECIAL, (c) => ESCAPES[c] ?? c);
}

/** Every row as one line, its fields in the statement's column order. */
export function loadDataText(rows: readonly (readonly LoadDataValue[])[]): string {
  let text = '';
  for (const row of rows) text += `${row.map(loadDataField).join('\t')}\n`;
  return text;
}

/**
 * `LOAD DATA LOCAL INFILE` into `table`'s `columns`, in that order. No IGNORE or REPLACE: neither
 * is wanted, and with LOCAL the server behaves as with IGNORE anyway (see `loadedExactly`).
 */
export function loadDataStatement(table: string, columns: readonly string[]): string {
  if (columns.length === 0) throw new Error('LOAD DATA needs its columns named');
  return (
    `LOAD DATA LOCAL INFILE 'rows' INTO TABLE ${table} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.join(', ')})`
  );
}

/**
 * The text cut into the pieces the client sends: each goes out as one protocol packet, which the
 * server refuses above its max_allowed_packet, never below 64 KiB (statement-size.ts).
 */
export const LOAD_DATA_PACKET_BYTES = 16 * 1024;

export function packetsOf(data: Buffer, size = LOAD_DATA_PACKET_BYTES): Buffer[] {
  if (!(size > 0)) throw new RangeError(`a packet of ${size} bytes`);
  const packets: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) packets.push(data.subarray(at, at + size));
  return packets;
}

/** The server's answer to a LOAD DATA: rows stored and warnings raised. */
export interface LoadDataResult {
  readonly affectedRows: number;
  readonly warningStatus: number;
}

/** Whether every one of `sent` rows was stored as sent: none skipped as a duplicate, none cut or defaulted. */
export function loadedExactly(result: LoadDataResult, sent: number): boolean {
  return result.affectedRows === sent && result.warningStatus === 0;
}

/**
 * The server (or a proxy before it) refuses LOCAL INFILE: MariaDB 10.6+ answers 4166, MySQL 8
 * 3948, older servers 1148. The statement is refused before any row is read; the transaction
 * around it goes on.
 */
const LOCAL_INFILE_REFUSED = new Set([1148, 3948, 4166]);

export function isLocalInfileRefused(err: unknown): boolean {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && LOCAL_INFILE_REFUSED.has(errno);
}
