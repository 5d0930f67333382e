import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeOfId, timeOrderedId } from './request-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID of version 7 and the RFC variant, within the log message’s requestId alphabet', () => {
    for (let i = 0; i < 2_000; i++) assert.match(timeOrderedId(), UUID_V7);
  });

  it('carries its millisecond, up to the largest 48-bit time', () => {
    for (const ms of [0, 1, 0xffff_ffff, 0x1_0000_0000, Date.UTC(2026, 11, 3, 10, 0, 0, 123), 2 ** 48 - 1]) {
      assert.equal(timeOfId(timeOrderedId(ms)), ms);
    }
  });

  it('sorts by time: ids of a later millisecond sort after every id of an earlier one', () => {
    const start = Date.UTC(2026, 11, 3, 10, 0, 0);
    const ids = Array.from({ length: 5_000 }, (_, i) => timeOrderedId(start + Math.floor(i / 10)));
    const sorted = [...ids].sort();
    assert.deepEqual(sorted.map(timeOfId), ids.map(timeOfId));
  });

  it('does not repeat, across refills of its random pool', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 100_000 }, () => timeOrderedId(now)));
    assert.equal(ids.size, 100_000);
  });
});
