import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeParticipation, encodeParticipation, PoisonMessageError, type ParticipationMessage } from './participation-message.js';

const valid: ParticipationMessage = { v: 1, requestId: 'r-1', campaignId: 3, userId: 42, acceptedAt: '2026-11-21T10:00:00.123Z' };

describe('participation message codec', () => {
  it('round-trips', () => {
    assert.deepEqual(decodeParticipation(encodeParticipation(valid)), valid);
  });

  const poison: [string, Buffer | null, RegExp][] = [
    ['a tombstone', null, /empty/],
    ['not JSON', Buffer.from('{oops'), /not JSON/],
    ['an unknown version', Buffer.from(JSON.stringify({ ...valid, v: 2 })), /v/],
    ['a negative user', Buffer.from(JSON.stringify({ ...valid, userId: -1 })), /userId/],
    ['a string campaign id', Buffer.from(JSON.stringify({ ...valid, campaignId: '3' })), /campaignId/],
    ['a bad request id', Buffer.from(JSON.stringify({ ...valid, requestId: 'has space' })), /requestId/],
    ['a bad timestamp', Buffer.from(JSON.stringify({ ...valid, acceptedAt: 'yesterday' })), /acceptedAt/],
    ['a JSON array', Buffer.from('[1,2]'), /invalid participation/],
  ];
  for (const [name, value, reason] of poison) {
    it(`calls ${name} poison, with a reason`, () => {
      assert.throws(
        () => decodeParticipation(value),
        (err: unknown) => err instanceof PoisonMessageError && reason.test(err.message),
      );
    });
  }
});
