import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decideBatch, type DecisionState, type ParticipationRequest } from './decide.js';
import { judge } from './verdict.js';

const req = (requestId: string, campaignId: number, userId: number): ParticipationRequest => ({ requestId, campaignId, userId });

function emptyState(stock: Record<number, number>): DecisionState {
  return {
    stock: new Map(Object.entries(stock).map(([k, v]) => [Number(k), v])),
    winners: new Map(),
    decidedRequestIds: new Map(),
  };
}

/** What the database does with a batch's result: the state the next batch will be given. */
function apply(state: DecisionState, requests: readonly ParticipationRequest[]): DecisionState {
  const { outcomes } = decideBatch(requests, state);
  const stock = new Map(state.stock);
  const winners = new Map([...state.winners].map(([c, s]) => [c, new Set(s)]));
  const decided = new Map(state.decidedRequestIds);
  for (const o of outcomes) {
    if (o.kind === 'answered') decided.set(o.request.requestId, { campaignId: o.request.campaignId, userId: o.request.userId });
    if (o.kind !== 'decided') continue;
    decided.set(o.request.requestId, { campaignId: o.request.campaignId, userId: o.request.userId });
    if (o.verdict === 'SUCCESS') {
      stock.set(o.request.campaignId, (stock.get(o.request.campaignId) ?? 0) - 1);
      const set = winners.get(o.request.campaignId) ?? new Set<number>();
      set.add(o.request.userId);
      winners.set(o.request.campaignId, set);
    }
  }
  return { stock, winners, decidedRequestIds: decided };
}

describe('judge', () => {
  it('a previous winner is a duplicate whatever the stock', () => {
    assert.equal(judge(true, 5), 'DUPLICATE');
    assert.equal(judge(true, 0), 'DUPLICATE');
  });
  it('a new user wins while stock lasts, then sold out', () => {
    assert.equal(judge(false, 1), 'SUCCESS');
    assert.equal(judge(false, 0), 'SOLD_OUT');
  });
});

describe('decideBatch', () => {
  it('records an answer the API already gave without taking stock or making a winner', () => {
    const answered = { ...req('a', 1, 10), answered: 'SOLD_OUT' as const };
    const { outcomes, deltas } = decideBatch([answered, req('b', 1, 10), req('c', 1, 11)], emptyState({ 1: 1 }));
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'decided' || o.kind === 'answered' ? `${o.kind}:${o.verdict}` : o.kind)),
      ['answered:SOLD_OUT', 'decided:SUCCESS', 'decided:SOLD_OUT'],
    );
    assert.deepEqual(deltas.get(1), { campaignId: 1, success: 1, soldOut: 1, duplicate: 0 });
  });

  it('an answered request id is one request: repeated, it is not decided; reused by another user, refused', () => {
    const answered = { ...req('a', 1, 10), answered: 'DUPLICATE' as const };
    const { outcomes } = decideBatch([answered, req('a', 1, 10), req('a', 1, 11)], emptyState({ 1: 5 }));
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ['answered', 'already-decided', 'request-id-reused'],
    );
  });

  it('an answer for a request id decided before is not recorded twice, and an answer for an unknown campaign is a dead letter', () => {
    const state: DecisionState = { ...emptyState({ 1: 0 }), decidedRequestIds: new Map([['a', { campaignId: 1, userId: 10 }]]) };
    const { outcomes, deltas } = decideBatch(
      [
        { ...req('a', 1, 10), answered: 'SOLD_OUT' },
        { ...req('b', 2, 10), answered: 'SOLD_OUT' },
      ],
      state,
    );
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ['already-decided', 'unknown-campaign'],
    );
    assert.equal(deltas.size, 0);
  });

  it('decides in order: first come wins, later ones sold out', () => {
    const { outcomes, deltas } = decideBatch([req('a', 1, 10), req('b', 1, 11), req('c', 1, 12)], emptyState({ 1: 2 }));
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind)),
      ['SUCCESS', 'SUCCESS', 'SOLD_OUT'],
    );
    assert.deepEqual(deltas.get(1), { campaignId: 1, success: 2, soldOut: 1, duplicate: 0 });
  });

  it('a user winning twice in one batch gets DUPLICATE the second time', () => {
    const { outcomes } = decideBatch([req('a', 1, 10), req('b', 1, 10)], emptyState({ 1: 5 }));
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind)),
      ['SUCCESS', 'DUPLICATE'],
    );
  });

  it('a winner from an earlier batch is a duplicate even after sell-out', () => {
    const state: DecisionState = { ...emptyState({ 1: 0 }), winners: new Map([[1, new Set([10])]]) };
    const { outcomes } = decideBatch([req('a', 1, 10), req('b', 1, 11)], state);
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind)),
      ['DUPLICATE', 'SOLD_OUT'],
    );
  });

  it('a user who lost may not win later in the same campaign only if stock is gone', () => {
    const { outcomes } = decideBatch([req('a', 1, 10), req('b', 1, 11), req('c', 1, 11)], emptyState({ 1: 1 }));
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind)),
      ['SUCCESS', 'SOLD_OUT', 'SOLD_OUT'],
    );
  });

  it('a retried request id is decided once, within a batch and across batches', () => {
    const first = decideBatch([req('a', 1, 10), req('a', 1, 10)], emptyState({ 1: 5 }));
    assert.deepEqual(
      first.outcomes.map((o) => o.kind),
      ['decided', 'already-decided'],
    );
    assert.equal(first.deltas.get(1)?.success, 1);
    const state: DecisionState = { ...emptyState({ 1: 4 }), decidedRequestIds: new Map([['a', { campaignId: 1, userId: 10 }]]) };
    const second = decideBatch([req('a', 1, 10)], state);
    assert.deepEqual(
      second.outcomes.map((o) => o.kind),
      ['already-decided'],
    );
    assert.equal(second.deltas.size, 0);
  });

  it('a request id reused for another user or campaign is refused, not dropped and not decided', () => {
    const { outcomes, deltas } = decideBatch([req('a', 1, 10), req('a', 1, 11), req('a', 2, 10)], emptyState({ 1: 5, 2: 5 }));
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ['decided', 'request-id-reused', 'request-id-reused'],
    );
    const refused = outcomes[1];
    assert.ok(refused?.kind === 'request-id-reused');
    assert.deepEqual(refused.owner, { campaignId: 1, userId: 10 });
    assert.equal(deltas.get(1)?.success, 1);
    assert.equal(deltas.has(2), false);
    const state: DecisionState = { ...emptyState({ 1: 4 }), decidedRequestIds: new Map([['a', { campaignId: 1, userId: 10 }]]) };
    assert.equal(decideBatch([req('a', 1, 12)], state).outcomes[0]?.kind, 'request-id-reused');
  });
  it('an unknown campaign is reported and does not disturb the others', () => {
    const { outcomes, deltas } = decideBatch([req('a', 99, 10), req('b', 1, 10)], emptyState({ 1: 1 }));
    assert.equal(outcomes[0]?.kind, 'unknown-campaign');
    assert.equal(outcomes[1]?.kind, 'decided');
    assert.equal(deltas.has(99), false);
    // the unknown request's id is not consumed: were it replayed for a real campaign it would be decided
    const again = decideBatch([req('a', 1, 11)], emptyState({ 1: 1 }));
    assert.equal(again.outcomes[0]?.kind, 'decided');
  });

  it('campaigns are independent', () => {
    const { outcomes } = decideBatch([req('a', 1, 10), req('b', 2, 10), req('c', 1, 11), req('d', 2, 11)], emptyState({ 1: 1, 2: 2 }));
    assert.deepEqual(
      outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind)),
      ['SUCCESS', 'SUCCESS', 'SOLD_OUT', 'SUCCESS'],
    );
  });

  it('does not mutate its inputs', () => {
    const state = emptyState({ 1: 1 });
    const requests = [req('a', 1, 10)];
    decideBatch(requests, state);
    assert.equal(state.stock.get(1), 1);
    assert.equal(state.winners.size, 0);
    assert.equal(state.decidedRequestIds.size, 0);
  });

  it('an empty batch changes nothing', () => {
    const { outcomes, deltas } = decideBatch([], emptyState({ 1: 1 }));
    assert.equal(outcomes.length, 0);
    assert.equal(deltas.size, 0);
  });
});

// Small id spaces so that repeats, duplicates and sell-outs happen often.
const arbRequest = fc.record({
  requestId: fc.integer({ min: 0, max: 60 }).map((n) => `r${n}`),
  campaignId: fc.integer({ min: 1, max: 4 }),
  userId: fc.integer({ min: 1, max: 25 }),
});
const arbStock = fc.tuple(fc.nat(12), fc.nat(12), fc.nat(12));
const stockOf = ([a, b, c]: [number, number, number]) => emptyState({ 1: a, 2: b, 3: c }); // campaign 4 does not exist

describe('decideBatch properties', () => {
  it('winners are exactly the first distinct users in log order, up to stock, per campaign', () => {
    fc.assert(
      fc.property(fc.array(arbRequest, { maxLength: 200 }), arbStock, (requests, stock) => {
        const state = stockOf(stock);
        const { outcomes } = decideBatch(requests, state);
        const seen = new Set<string>();
        const expectedWinners = new Map<number, number[]>();
        for (const r of requests) {
          if (seen.has(r.requestId) || !state.stock.has(r.campaignId)) continue;
          seen.add(r.requestId);
          const list = expectedWinners.get(r.campaignId) ?? [];
          if (!list.includes(r.userId) && list.length < (state.stock.get(r.campaignId) ?? 0)) list.push(r.userId);
          expectedWinners.set(r.campaignId, list);
        }
        const actual = new Map<number, number[]>();
        for (const o of outcomes) {
          if (o.kind === 'decided' && o.verdict === 'SUCCESS') {
            const list = actual.get(o.request.campaignId) ?? [];
            list.push(o.request.userId);
            actual.set(o.request.campaignId, list);
          }
        }
        for (const [c, list] of expectedWinners) assert.deepEqual(actual.get(c) ?? [], list);
      }),
      { numRuns: 500 },
    );
  });

  it('never oversells, never lets a user win twice, and deltas match outcomes', () => {
    fc.assert(
      fc.property(fc.array(arbRequest, { maxLength: 200 }), arbStock, (requests, stock) => {
        const state = stockOf(stock);
        const { outcomes, deltas } = decideBatch(requests, state);
        assert.equal(outcomes.length, requests.length);
        for (const [campaignId, initial] of state.stock) {
          const decided = outcomes.filter((o) => o.kind === 'decided' && o.request.campaignId === campaignId);
          const wins = decided.filter((o) => o.kind === 'decided' && o.verdict === 'SUCCESS');
          assert.ok(wins.length <= initial);
          assert.equal(new Set(wins.map((o) => o.request.userId)).size, wins.length);
          const d = deltas.get(campaignId);
          assert.equal((d?.success ?? 0) + (d?.soldOut ?? 0) + (d?.duplicate ?? 0), decided.length);
          assert.equal(d?.success ?? 0, wins.length);
        }
        for (const o of outcomes) if (o.request.campaignId === 4) assert.ok(['already-decided', 'request-id-reused', 'unknown-campaign'].includes(o.kind));
      }),
      { numRuns: 500 },
    );
  });

  it('any split of the log into batches gives the verdicts of one big batch', () => {
    fc.assert(
      fc.property(fc.array(arbRequest, { maxLength: 150 }), arbStock, fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }), (requests, stock, sizes) => {
        const whole = decideBatch(requests, stockOf(stock)).outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind));
        let state = stockOf(stock);
        const pieces: string[] = [];
        let i = 0;
        let s = 0;
        while (i < requests.length) {
          const size = sizes[s++ % sizes.length] ?? 1;
          const batch = requests.slice(i, i + size);
          pieces.push(...decideBatch(batch, state).outcomes.map((o) => (o.kind === 'decided' ? o.verdict : o.kind)));
          state = apply(state, batch);
          i += size;
        }
        assert.deepEqual(pieces, whole);
      }),
      { numRuns: 300 },
    );
  });

  it('each request id is decided at most once, and every other copy is a retry or a refusal', () => {
    fc.assert(
      fc.property(fc.array(arbRequest, { maxLength: 200 }), arbStock, (requests, stock) => {
        const { outcomes } = decideBatch(requests, stockOf(stock));
        const owners = new Map<string, { campaignId: number; userId: number }>();
        for (const o of outcomes) {
          const r = o.request;
          const owner = owners.get(r.requestId);
          if (o.kind === 'decided') {
            assert.equal(owner, undefined, 'decided twice');
            owners.set(r.requestId, { campaignId: r.campaignId, userId: r.userId });
          } else if (o.kind === 'already-decided') {
            assert.deepEqual(owner, { campaignId: r.campaignId, userId: r.userId });
          } else if (o.kind === 'request-id-reused') {
            assert.ok(owner !== undefined && (owner.campaignId !== r.campaignId || owner.userId !== r.userId));
            assert.deepEqual(o.owner, owner);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
  it('redelivering an already committed batch decides nothing again', () => {
    fc.assert(
      fc.property(fc.array(arbRequest, { maxLength: 80 }), arbStock, (requests, stock) => {
        const after = apply(stockOf(stock), requests);
        const again = decideBatch(requests, after);
        for (const o of again.outcomes) assert.notEqual(o.kind, 'decided', 'nothing is decided again on redelivery');
        assert.equal(again.deltas.size, 0);
      }),
      { numRuns: 300 },
    );
  });
});
