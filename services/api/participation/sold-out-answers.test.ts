import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Campaign } from '../../db/campaign-store.js';
import type { ShortCircuitAnswer } from '../../db/participation-store.js';
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

function setup(winners: number[][]) {
  const loads: number[] = [];
  const recorded: ShortCircuitAnswer[][] = [];
  let call = 0;
  const answers = new SoldOutAnswers({
    winnersOf: (id) => {
      loads.push(id);
      return Promise.resolve(new Set(winners[Math.min(call++, winners.length - 1)]));
    },
    record: (batch) => {
      recorded.push([...batch]);
      return Promise.resolve();
    },
  });
  return { answers, loads, recorded };
}

describe('SoldOutAnswers', () => {
  it('tells a winner DUPLICATE and anyone else SOLD_OUT, storing each answer before giving it', async () => {
    const { answers, recorded } = setup([[1, 2]]);
    const at = new Date('2026-11-21T10:00:00Z');
    assert.equal((await answers.answer(soldOut(2), 1, 'a', at)).status, 'DUPLICATE');
    assert.equal((await answers.answer(soldOut(2), 3, 'b', at)).status, 'SOLD_OUT');
    assert.deepEqual(
      recorded.flat().map((r) => [r.requestId, r.userId, r.status]),
      [
        ['a', 1, 'DUPLICATE'],
        ['b', 3, 'SOLD_OUT'],
      ],
    );
  });

  it('loads the winners once while the win count stays, and again when it changed (stock raised, sold out anew)', async () => {
    const { answers, loads } = setup([[1, 2], [1, 2, 3]]);
    const at = new Date(0);
    await Promise.all([answers.answer(soldOut(2), 5, 'a', at), answers.answer(soldOut(2), 6, 'b', at)]);
    await answers.answer(soldOut(2), 7, 'c', at);
    assert.equal(loads.length, 1);
    assert.equal((await answers.answer(soldOut(3), 3, 'd', at)).status, 'DUPLICATE');
    assert.equal(loads.length, 2);
  });

  it('does not answer when the answer cannot be stored', async () => {
    const answers = new SoldOutAnswers({ winnersOf: () => Promise.resolve(new Set()), record: () => Promise.reject(new Error('database down')) });
    await assert.rejects(answers.answer(soldOut(0), 1, 'a', new Date(0)), /database down/);
  });
});
