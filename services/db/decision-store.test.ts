import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeadLetterRow } from '../core/dead-letter.js';
import { fitDeadLetter } from './decision-store.js';

function row(payloadBytes: number): DeadLetterRow {
  return { topic: 't', partition: 0, offset: 7, reasonCode: 'POISON', reason: "it's not JSON", subject: null, key: Buffer.from('k'), payload: Buffer.alloc(payloadBytes, 0xab), payloadBytes };
}
const created = '2026-01-01 00:00:00.000';

test('a dead letter that fits is kept whole', () => {
  const r = row(1_000);
  assert.equal(fitDeadLetter(r, 64 * 1024, created), r);
});

test('a dead letter too large for one statement keeps the first bytes of its payload that fit, and its full size', () => {
  const room = 64 * 1024;
  const fitted = fitDeadLetter(row(100_000), room, created);
  assert.ok(fitted.payload);
  // hex doubles the payload: a little under half the room is left for it
  assert.ok(fitted.payload.length > room / 2 - 1_024 && fitted.payload.length < room / 2, String(fitted.payload.length));
  assert.equal(fitted.payloadBytes, 100_000);
  assert.deepEqual(fitted.payload, Buffer.alloc(fitted.payload.length, 0xab));
  assert.equal(fitted.offset, 7);
  // what fits once fitted fits again unchanged
  assert.equal(fitDeadLetter(fitted, room, created), fitted);
});

test('a dead letter without payload is never cut', () => {
  const r = { ...row(0), payload: null };
  assert.equal(fitDeadLetter(r, 1_000, created), r);
});
