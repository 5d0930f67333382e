import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Campaign } from '../../db/campaign-store.js';
import { SoldOutAnswers } from './sold-out-answers.js';

const soldOut = (successCount: number): Campaign => ({
  id: 7,
  name: 'c',
  totalStock: successCount,
  currentStock: 0,
  successCount,
  soldOutCount: 0,
  duplicateCount: 0,
  startsAt: null,
  endsAt: null,
  createdAt: new Date(0),
});

const settle = () => new Promise((r) => setImmediate(r));

/** Each load answers with the next of `winners` (user → winning request id). */
function setup(winners: [number, string][][], now = () => 0) {
  const loads: number[] = [];
  let call = 0;
  const answers = new SoldOutAnswers({
    winnersOf: (id) => {
      loads.push(id);
      return Promise.resolve(new Map(winners[Math.min(call++, winners.length - 1)]));
    },
    now,
  });
  return { answers, loads };
}

describe('SoldOutAnswers', () => {
  it('has no answer until the winners are in memory, then tells a winner DUPLICATE and anyone else SOLD_OUT', async () => {
    const { answers } = setup([
      [
        [1, 'w1'],
        [2, 'w2'],
      ],
    ]);
    assert.equal(answers.verdict(soldOut(2), 1, 'a'), undefined, 'never waits for the load');
    await settle();
    assert.equal(answers.verdict(soldOut(2), 1, 'a'), 'DUPLICATE');
    assert.equal(answers.verdict(soldOut(2), 3, 'b'), 'SOLD_OUT');
  });

  it("leaves a winner's own request asked again to the log, whose lookup says SUCCESS", async () => {
    const { answers } = setup([[[1, 'w1']]]);
    answers.verdict(soldOut(1), 1, 'w1');
    await settle();
    assert.equal(answers.verdict(soldOut(1), 1, 'w1'), undefined);
    assert.equal(answers.verdict(soldOut(1), 1, 'other'), 'DUPLICATE');
  });

  it('loads the winners once while the win count stays, and again when it changed (stock raised, sold out anew)', async () => {
    const { answers, loads } = setup([
      [
        [1, 'w1'],
        [2, 'w2'],
      ],
      [
        [1, 'w1'],
        [2, 'w2'],
        [3, 'w3'],
      ],
    ]);
    answers.verdict(soldOut(2), 5, 'a');
    answers.verdict(soldOut(2), 6, 'b');
    await settle();
    assert.equal(answers.verdict(soldOut(2), 7, 'c'), 'SOLD_OUT');
    assert.equal(loads.length, 1, 'one load shared by concurrent requests');
    assert.equal(answers.verdict(soldOut(3), 3, 'd'), undefined, 'the old winners are not used for a changed count');
    await settle();
    assert.equal(answers.verdict(soldOut(3), 3, 'd'), 'DUPLICATE');
    assert.equal(loads.length, 2);
  });

  it('after a failed load, tries again no sooner than the retry interval, and has no answer meanwhile', async () => {
    let now = 0;
    let fail = true;
    let loads = 0;
    const failures: unknown[] = [];
    const answers = new SoldOutAnswers({
      winnersOf: () => (loads++, fail ? Promise.reject(new Error('database down')) : Promise.resolve(new Map())),
      now: () => now,
      retryMs: 1_000,
      onLoadFailed: (_id, err) => failures.push(err),
    });
    answers.verdict(soldOut(0), 1, 'a');
    await settle();
    assert.equal(failures.length, 1);
    fail = false;
    now = 999;
    assert.equal(answers.verdict(soldOut(0), 1, 'a'), undefined);
    assert.equal(loads, 1);
    now = 1_000;
    answers.verdict(soldOut(0), 1, 'a');
    await settle();
    assert.equal(loads, 2);
    assert.equal(answers.verdict(soldOut(0), 1, 'a'), 'SOLD_OUT');
  });
});
