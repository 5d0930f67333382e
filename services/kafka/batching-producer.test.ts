import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BATCH_OVERHEAD_BYTES, batchLength, RECORD_OVERHEAD_BYTES } from './batching-producer.js';

const queued = (count: number, valueBytes: number, key = '1') =>
  Array.from({ length: count }, () => ({ message: { key, value: Buffer.alloc(valueBytes), partition: 0 } }));

describe('batchLength', () => {
  it('counts each record with its overhead and the batch header, so the batch never exceeds the byte limit', () => {
    const perRecord = 100 + 1 + RECORD_OVERHEAD_BYTES;
    const maxBytes = BATCH_OVERHEAD_BYTES + 10 * perRecord;
    assert.equal(batchLength(queued(50, 100), 1_000, maxBytes), 10);
    assert.equal(batchLength(queued(50, 100), 1_000, maxBytes - 1), 9);
  });

  it('fills 1 MiB with small records without passing it, overheads included', () => {
    const n = batchLength(queued(20_000, 120), 100_000, 1_048_576);
    assert.ok(BATCH_OVERHEAD_BYTES + n * (120 + 1 + RECORD_OVERHEAD_BYTES) <= 1_048_576);
    assert.ok(BATCH_OVERHEAD_BYTES + (n + 1) * (120 + 1 + RECORD_OVERHEAD_BYTES) > 1_048_576);
  });

  it('stops at the count limit and at the end of the queue', () => {
    assert.equal(batchLength(queued(50, 10), 7, 1_000_000), 7);
    assert.equal(batchLength(queued(3, 10), 7, 1_000_000), 3);
    assert.equal(batchLength([], 7, 1_000_000), 0);
  });

  it('sends an oversized message alone rather than holding up the queue', () => {
    assert.equal(batchLength(queued(3, 5_000), 100, 1_000), 1);
  });
});
