import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sequelize } from 'sequelize';
import { chunkBySize, MIN_MAX_ALLOWED_PACKET, sqlTextBytes, statementBudget } from './statement-size.js';

// never connects: only its escaping, the very text a query with replacements sends
const mysql = new Sequelize('mysql://user@127.0.0.1:1/none', { logging: false });

test('sizes are exactly what sequelize writes into the statement', () => {
  const values: unknown[] = [
    null,
    0,
    -12345678901,
    3.25,
    true,
    '',
    'plain-request-id',
    'quotes \' and " and \\ and \0 \n \r \t \b \x1a',
    'ünïcødé ✓ 𝄞',
    Buffer.alloc(0),
    Buffer.from([0, 1, 2, 255]),
    [1, 22, 333],
    ['a', "b'c"],
  ];
  for (const v of values) assert.equal(sqlTextBytes(v), Buffer.byteLength(mysql.escape(v as string)) + (Array.isArray(v) ? 2 : 0), JSON.stringify(v));
});

test('the budget leaves a margin below the server limit and refuses a limit too small to work with', () => {
  assert.equal(statementBudget(16 * 1024 * 1024), 14 * 1024 * 1024);
  assert.ok(statementBudget(MIN_MAX_ALLOWED_PACKET) < MIN_MAX_ALLOWED_PACKET);
  assert.throws(() => statementBudget(MIN_MAX_ALLOWED_PACKET - 1), /max_allowed_packet is 65535 bytes/);
  assert.throws(() => statementBudget(Number.NaN), /max_allowed_packet/);
});

test('chunks keep order and respect both the byte budget and the item count', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(chunkBySize(items, () => 10, 35, 100), [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  assert.deepEqual(chunkBySize(items, () => 1, 1_000, 4), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.deepEqual(chunkBySize(items, () => 35, 35, 100).length, 10);
  assert.deepEqual(chunkBySize([], () => 1, 1, 1), []);
  assert.throws(() => chunkBySize([1], () => 36, 35, 100), RangeError);
});
