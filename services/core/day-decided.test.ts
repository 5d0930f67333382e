import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { dayReadiness, passedThrough, type DeciderPosition } from './day-decided.js';

const END = new Date('2026-03-01T00:00:00.000Z');
const MARGIN = 300_000;
const at = (offsetMs: number) => new Date(END.getTime() + offsetMs);
const position = (decidedThrough: Date | null, caughtUpAt: Date | null, partition = 0): DeciderPosition => ({
  group: 'g',
  topic: 't',
  partition,
  decidedThrough,
  caughtUpAt,
});

test('no decider has ever recorded a position: nothing to wait for', () => {
  assert.deepEqual(dayReadiness(END, MARGIN, []), { ready: true });
});

test('a decider past an entry accepted at the end plus the margin has decided the day', () => {
  assert.deepEqual(dayReadiness(END, MARGIN, [position(at(MARGIN), null)]), { ready: true });
  assert.deepEqual(dayReadiness(END, MARGIN, [position(at(MARGIN + 1), at(-86_400_000))]), { ready: true });
});

test('a quiet log: caught up after the end plus the margin is enough, however old the last entry', () => {
  assert.deepEqual(dayReadiness(END, MARGIN, [position(at(-7 * 86_400_000), at(MARGIN))]), { ready: true });
  assert.deepEqual(dayReadiness(END, MARGIN, [position(null, at(MARGIN + 60_000))]), { ready: true });
});

test('a backlog: entries of the day not yet passed, and nothing caught up since, is not ready, and says how far it got', () => {
  const r = dayReadiness(END, MARGIN, [position(at(-60_000), at(-120_000))]);
  assert.equal(r.ready, false);
  assert.ok(!r.ready);
  assert.match(r.reason, /entries accepted before 2026-03-01T00:05:00.000Z \(the day's end \+ 300 s\)/);
  assert.match(r.reason, /t partition 0 \(group g\) has passed entries accepted up to 2026-02-28T23:59:00.000Z/);
});

test('within the margin is not enough: an entry stamped before midnight may still come', () => {
  assert.equal(dayReadiness(END, MARGIN, [position(at(MARGIN - 1), at(MARGIN - 1))]).ready, false);
  assert.equal(dayReadiness(END, 0, [position(at(0), null)]).ready, true);
  assert.equal(dayReadiness(END, 0, [position(at(-1), null)]).ready, false);
});

test('a decider that never recorded progress is named', () => {
  const r = dayReadiness(END, MARGIN, [position(null, null)]);
  assert.ok(!r.ready);
  assert.match(r.reason, /has recorded no progress yet/);
});

test('every partition must have passed; the reason names only those behind', () => {
  const r = dayReadiness(END, MARGIN, [position(at(MARGIN), null, 0), position(at(0), null, 1), position(null, null, 2)]);
  assert.ok(!r.ready);
  assert.doesNotMatch(r.reason, /partition 0/);
  assert.match(r.reason, /partition 1 .* up to 2026-03-01T00:00:00.000Z/);
  assert.match(r.reason, /partition 2 .* no progress yet/);
});

test('property: ready exactly when every partition passed the end plus the margin by either measure', () => {
  const time = fc.option(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }).map(at), { nil: null });
  fc.assert(
    fc.property(fc.array(fc.tuple(time, time), { maxLength: 5 }), fc.integer({ min: 0, max: 86_400_000 }), (pairs, margin) => {
      const positions = pairs.map(([d, c], i) => position(d, c, i));
      const expected = positions.every((p) => [p.decidedThrough, p.caughtUpAt].some((t) => t !== null && t.getTime() >= END.getTime() + margin));
      assert.equal(dayReadiness(END, margin, positions).ready, expected);
    }),
  );
});

test('passedThrough is the later of the two measures', () => {
  assert.equal(passedThrough(position(null, null)), null);
  assert.deepEqual(passedThrough(position(at(5), at(3))), at(5));
  assert.deepEqual(passedThrough(position(at(3), at(5))), at(5));
  assert.deepEqual(passedThrough(position(null, at(-5))), at(-5));
});
