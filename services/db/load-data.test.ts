import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sqlDateTime } from './datetime.js';
import { isLocalInfileRefused, LOAD_DATA_PACKET_BYTES, loadDataField, loadDataStatement, loadDataText, loadedExactly, packetsOf } from './load-data.js';
import { MIN_MAX_ALLOWED_PACKET } from './statement-size.js';

describe('LOAD DATA text', () => {
  it('writes NULL as \\N and a text that reads \\N as the two characters', () => {
    assert.equal(loadDataField(null), '\\N');
    assert.equal(loadDataField('\\N'), '\\\\N');
    assert.equal(loadDataField('NULL'), 'NULL');
  });

  it('escapes what would end a field or a row, or begin an escape', () => {
    assert.equal(loadDataField('a\\b'), 'a\\\\b');
    assert.equal(loadDataField('a\tb'), 'a\\tb');
    assert.equal(loadDataField('a\nb'), 'a\\nb');
    assert.equal(loadDataField('a\0b'), 'a\\0b');
    assert.equal(loadDataField('\\\t\n\0\\'), '\\\\\\t\\n\\0\\\\');
  });

  it('leaves every other character as it is, the empty text and multi-byte ones included', () => {
    assert.equal(loadDataField(''), '');
    assert.equal(loadDataField('\r'), '\r');
    assert.equal(loadDataField("it's \"quoted\", ;"), "it's \"quoted\", ;");
    assert.equal(loadDataField('café 😀'), 'café 😀');
    // every character a request id may have (platform/request-id.ts)
    assert.equal(loadDataField('AZaz09._:-'), 'AZaz09._:-');
  });

  it('writes numbers in decimal and refuses the ones no column holds', () => {
    assert.equal(loadDataField(0), '0');
    assert.equal(loadDataField(-7), '-7');
    assert.equal(loadDataField(4_294_967_296), '4294967296');
    assert.equal(loadDataField(Number.MAX_SAFE_INTEGER), '9007199254740991');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) assert.throws(() => loadDataField(bad), RangeError);
  });

  it('writes a datetime as the INSERT does, milliseconds kept', () => {
    const at = sqlDateTime(new Date('2026-12-04T21:05:09.007Z'));
    assert.equal(at, '2026-12-04 21:05:09.007');
    assert.equal(loadDataField(at), '2026-12-04 21:05:09.007');
  });

  it('joins fields with tabs and ends every row, the last too, with a newline', () => {
    assert.equal(loadDataText([]), '');
    assert.equal(loadDataText([['r-1', 7, null, 'SUCCESS'], ['r\t2', 8, 0, 'a\nb']]), 'r-1\t7\t\\N\tSUCCESS\nr\\t2\t8\t0\ta\\nb\n');
  });

  it('keeps a row its fields whatever they contain: splitting on unescaped tabs and newlines gives them back', () => {
    const rows = [['\\', '\t', '\n', '\0', '\\t', 'x\\\ny', null, 3]];
    const text = loadDataText(rows);
    const lines = text.split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[1], '');
    assert.equal(lines[0]?.split('\t').length, rows[0]?.length);
  });
});

describe('LOAD DATA statement', () => {
  it('names its columns, the character set and the separators, and no IGNORE or REPLACE', () => {
    const sql = loadDataStatement('participations', ['request_id', 'campaign_id']);
    assert.equal(
      sql,
      "LOAD DATA LOCAL INFILE 'rows' INTO TABLE participations CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (request_id, campaign_id)",
    );
    assert.doesNotMatch(sql, /IGNORE|REPLACE/);
  });

  it('refuses to rely on the table order of columns', () => {
    assert.throws(() => loadDataStatement('participations', []));
  });
});

describe('LOAD DATA packets', () => {
  it('cuts the text into pieces no server refuses, in order, a character split across two if need be', () => {
    assert.ok(LOAD_DATA_PACKET_BYTES < MIN_MAX_ALLOWED_PACKET);
    const data = Buffer.from('é'.repeat(25_000), 'utf8');
    const packets = packetsOf(data);
    assert.equal(packets.length, Math.ceil(50_000 / LOAD_DATA_PACKET_BYTES));
    assert.ok(packets.every((p) => p.length <= LOAD_DATA_PACKET_BYTES));
    assert.deepEqual(Buffer.concat(packets), data);
    assert.deepEqual(
      packetsOf(Buffer.from('abcde'), 2).map((p) => p.toString()),
      ['ab', 'cd', 'e'],
    );
    assert.deepEqual(packetsOf(Buffer.alloc(0)), []);
    assert.throws(() => packetsOf(data, 0), RangeError);
  });
});

describe('LOAD DATA result', () => {
  it('counts as exact only when every row sent was stored and nothing was warned about', () => {
    assert.equal(loadedExactly({ affectedRows: 5, warningStatus: 0 }, 5), true);
    // a duplicate key skipped as with IGNORE
    assert.equal(loadedExactly({ affectedRows: 4, warningStatus: 1 }, 5), false);
    // a value cut or defaulted: every row stored, one not as sent
    assert.equal(loadedExactly({ affectedRows: 5, warningStatus: 1 }, 5), false);
    assert.equal(loadedExactly({ affectedRows: 4, warningStatus: 0 }, 5), false);
  });

  it('knows the refusals of LOCAL INFILE from other errors', () => {
    for (const errno of [1148, 3948, 4166]) assert.equal(isLocalInfileRefused(Object.assign(new Error('refused'), { errno })), true);
    assert.equal(isLocalInfileRefused(Object.assign(new Error('duplicate'), { errno: 1062 })), false);
    assert.equal(isLocalInfileRefused(new Error('no errno')), false);
    assert.equal(isLocalInfileRefused(null), false);
    assert.equal(isLocalInfileRefused(undefined), false);
  });
});
