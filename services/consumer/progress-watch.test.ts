import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressWatch } from './progress-watch.js';

const STALL_AFTER_MS = 1_000;

function watch() {
  let now = 0;
  const w = new ProgressWatch(STALL_AFTER_MS, () => now);
  return { w, advance: (ms: number) => (now += ms) };
}

describe('ProgressWatch', () => {
  it('is not stalled at the log end, however long nothing arrives', () => {
    const { w, advance } = watch();
    w.position(0, 10);
    w.logEnd(0, 10);
    advance(60_000);
    assert.deepEqual(w.stalls(), []);
  });

  it('an entry arriving after a long idle time is not a stall until it has waited the limit', () => {
    const { w, advance } = watch();
    w.position(0, 10);
    w.logEnd(0, 10);
    advance(60_000);
    w.logEnd(0, 11);
    advance(STALL_AFTER_MS - 1);
    assert.deepEqual(w.stalls(), []);
    advance(1);
    assert.deepEqual(w.stalls(), [{ partition: 0, offset: 10, forMs: STALL_AFTER_MS, reason: 'no progress while the log ends at 11' }]);
  });

  it('every advance restarts the limit while a backlog drains', () => {
    const { w, advance } = watch();
    w.position(0, 0);
    w.logEnd(0, 1_000);
    for (let next = 100; next < 1_000; next += 100) {
      advance(STALL_AFTER_MS - 1);
      w.position(0, next);
      assert.deepEqual(w.stalls(), []);
    }
  });

  it('re-reading the same offset is no progress', () => {
    const { w, advance } = watch();
    w.position(0, 5);
    w.logEnd(0, 8);
    advance(STALL_AFTER_MS / 2);
    w.position(0, 5);
    advance(STALL_AFTER_MS / 2);
    assert.equal(w.stalls().length, 1);
  });

  it('names the last failure, which progress clears', () => {
    const { w, advance } = watch();
    w.position(0, 5);
    w.logEnd(0, 8);
    w.failed(0, 'connection refused');
    advance(STALL_AFTER_MS);
    assert.equal(w.stalls()[0]?.reason, 'connection refused');
    w.position(0, 6);
    advance(STALL_AFTER_MS);
    assert.equal(w.stalls()[0]?.reason, 'no progress while the log ends at 8');
    w.position(0, 8);
    assert.deepEqual(w.stalls(), []);
  });

  it('an offset it could never read counts as behind a log with entries', () => {
    const { w, advance } = watch();
    w.logEnd(0, 3);
    w.failed(0, 'connect ECONNREFUSED');
    advance(STALL_AFTER_MS);
    assert.deepEqual(w.stalls(), [{ partition: 0, offset: null, forMs: STALL_AFTER_MS, reason: 'connect ECONNREFUSED' }]);
    const empty = watch();
    empty.w.logEnd(0, 0);
    empty.advance(STALL_AFTER_MS);
    assert.deepEqual(empty.w.stalls(), []);
  });

  it('keeps partitions apart', () => {
    const { w, advance } = watch();
    w.position(0, 4);
    w.logEnd(0, 4);
    w.position(1, 2);
    w.logEnd(1, 9);
    advance(STALL_AFTER_MS);
    assert.deepEqual(
      w.stalls().map((s) => s.partition),
      [1],
    );
  });

  it('a halted partition is stalled at once, even with its log ending below the offset, and stays so', () => {
    const { w, advance } = watch();
    w.position(0, 500);
    w.logEnd(0, 3);
    w.halted(0, 'topic recreated');
    assert.deepEqual(w.stalls(), [{ partition: 0, offset: 500, forMs: 0, reason: 'topic recreated' }]);
    advance(STALL_AFTER_MS);
    w.halted(0, 'another reason');
    w.logEnd(0, 500);
    assert.deepEqual(w.stalls(), [{ partition: 0, offset: 500, forMs: STALL_AFTER_MS, reason: 'topic recreated' }]);
  });
});
