import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeadLetterRow } from '../core/dead-letter.js';
import { deadLetterChunks } from './decision-store.js';

function row(offset: number, payloadBytes: number): DeadLetterRow {
  return { topic: 't', partition: 0, offset, reasonCode: 'POISON', reason: 'x', subject: null, key: null, payload: Buffer.alloc(payloadBytes), payloadBytes };
}

test('dead letters are chunked by row count, keeping log order', () => {
  const rows = Array.from({ length: 4_500 }, (_, i) => row(i, 1));
  const chunks = deadLetterChunks(rows);
  assert.deepEqual(chunks.map((c) => c.length), [2_000, 2_000, 500]);
  assert.deepEqual(chunks.flat().map((r) => r.offset), rows.map((r) => r.offset));
});

test('dead letters are chunked by payload size; a row larger than a chunk goes alone', () => {
  const mib = 1024 * 1024;
  const rows = [row(0, 5 * mib), row(1, 5 * mib), row(2, 20 * mib), row(3, 1)];
  assert.deepEqual(deadLetterChunks(rows).map((c) => c.map((r) => r.offset)), [[0], [1], [2], [3]]);
  assert.deepEqual(deadLetterChunks([]), []);
});
