import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { REQUEST_ID_PATTERN } from '../platform/request-id.js';
import { decodeParticipation, encodeParticipation, participationSchema, PoisonMessageError, type ParticipationMessage } from './participation-message.js';

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

  it('keeps the answered marker and drops unknown keys', () => {
    const m = { ...valid, answered: 'SOLD_OUT' as const };
    assert.deepEqual(decodeParticipation(Buffer.from(JSON.stringify({ ...m, extra: 1 }))), m);
  });
});

/** What decodeParticipation gave before it checked valid entries itself: zod's parse and its words. */
function throughSchema(json: unknown): ParticipationMessage | string {
  const result = participationSchema.safeParse(json);
  if (result.success) return result.data;
  return `invalid participation: ${result.error.issues.map((i) => `${i.path.join('.') || 'message'} ${i.message}`).join('; ')}`;
}

function decoded(json: unknown): ParticipationMessage | string {
  try {
    return decodeParticipation(Buffer.from(JSON.stringify(json)));
  } catch (err) {
    if (err instanceof PoisonMessageError) return err.message;
    throw err;
  }
}

describe('participation decoding without the schema on valid entries', () => {
  // every way a field can be refused, each beside its nearest valid value
  const refused: [string, unknown][] = [
    ['null', null],
    ['a number', 7],
    ['a string', 'participation'],
    ['an array', [valid]],
    ['an empty object', {}],
    ['version 2', { ...valid, v: 2 }],
    ['version "1"', { ...valid, v: '1' }],
    ['no version', { ...valid, v: undefined }],
    ['an empty request id', { ...valid, requestId: '' }],
    ['a request id of 65 characters', { ...valid, requestId: 'a'.repeat(65) }],
    ['a request id with a slash', { ...valid, requestId: 'a/b' }],
    ['a numeric request id', { ...valid, requestId: 12 }],
    ['no request id', { ...valid, requestId: undefined }],
    ['campaign 0', { ...valid, campaignId: 0 }],
    ['campaign 1.5', { ...valid, campaignId: 1.5 }],
    ['a campaign beyond 2^53', { ...valid, campaignId: 2 ** 53 }],
    ['a campaign id as a string', { ...valid, campaignId: '3' }],
    ['user -1', { ...valid, userId: -1 }],
    ['user 1e300', { ...valid, userId: 1e300 }],
    ['no user', { ...valid, userId: undefined }],
    ['a date without a zone', { ...valid, acceptedAt: '2026-11-21T10:00:00.123' }],
    ['a date with an offset', { ...valid, acceptedAt: '2026-11-21T10:00:00+01:00' }],
    ['a date without seconds', { ...valid, acceptedAt: '2026-11-21T10:00Z' }],
    ['the 30th of February', { ...valid, acceptedAt: '2026-02-30T10:00:00Z' }],
    ['the 29th of February 2100', { ...valid, acceptedAt: '2100-02-29T10:00:00Z' }],
    ['hour 24', { ...valid, acceptedAt: '2026-11-21T24:00:00Z' }],
    ['a date only', { ...valid, acceptedAt: '2026-11-21' }],
    ['a timestamp number', { ...valid, acceptedAt: 1_763_719_200_000 }],
    ['answered SUCCESS', { ...valid, answered: 'SUCCESS' }],
    ['answered null', { ...valid, answered: null }],
    ['two bad fields', { ...valid, userId: 0, answered: 'maybe' }],
  ];
  for (const [name, json] of refused) {
    it(`refuses ${name} with the schema's reason`, () => {
      const reason = decoded(json);
      assert.equal(typeof reason, 'string');
      assert.equal(reason, throughSchema(JSON.parse(JSON.stringify(json)) as unknown));
    });
  }

  const accepted: [string, unknown][] = [
    ['the 29th of February 2028', { ...valid, acceptedAt: '2028-02-29T10:00:00Z' }],
    ['the 29th of February 2000', { ...valid, acceptedAt: '2000-02-29T23:59:59.999999Z' }],
    ['a date without a fraction', { ...valid, acceptedAt: '2026-11-21T10:00:00Z' }],
    ['the largest safe ids', { ...valid, campaignId: Number.MAX_SAFE_INTEGER, userId: Number.MAX_SAFE_INTEGER }],
    ['answered DUPLICATE', { ...valid, answered: 'DUPLICATE' }],
  ];
  for (const [name, json] of accepted) {
    it(`accepts ${name} as the schema does`, () => {
      assert.deepEqual(decoded(json), throughSchema(json));
      assert.equal(typeof decoded(json), 'object');
    });
  }

  it('decides every entry as the schema does (fast-check)', () => {
    const near = <T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]) => fc.oneof({ weight: 3, arbitrary: good }, ...bad.map((arbitrary) => ({ weight: 1, arbitrary })));
    const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((x) => String(x).padStart(n, '0'));
    const dateTime = fc
      .tuple(digits(4, 9999), digits(2, 13), digits(2, 32), digits(2, 24), digits(2, 60), digits(2, 60), fc.constantFrom('', '.1', '.123', '.123456'), fc.constantFrom('Z', 'Z', '+00:00', ''))
      .map(([y, mo, d, h, mi, s, f, z]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${z}`);
    const id = near(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer(), fc.double(), fc.string(), fc.constant(null));
    const entry = fc.record(
      {
        v: near(fc.constant(1), fc.constantFrom(0, 2, '1', null)),
        requestId: near(fc.stringMatching(REQUEST_ID_PATTERN), fc.string({ maxLength: 70 }), fc.integer()),
        campaignId: id,
        userId: id,
        acceptedAt: near(dateTime, fc.string(), fc.integer()),
        answered: near(fc.constantFrom('SOLD_OUT', 'DUPLICATE'), fc.constantFrom('SUCCESS', null, 1)),
        extra: fc.anything(),
      },
      { requiredKeys: ['v', 'requestId', 'campaignId', 'userId', 'acceptedAt'] },
    );
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: entry }, { weight: 1, arbitrary: fc.jsonValue() }), (json) => {
        const sent = JSON.parse(JSON.stringify(json)) as unknown;
        assert.deepEqual(decoded(sent), throughSchema(sent));
      }),
      { numRuns: 5_000 },
    );
  });
});
