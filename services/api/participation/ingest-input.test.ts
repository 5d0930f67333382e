import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { REQUEST_ID_PATTERN } from '../../platform/request-id.js';
import { idParam } from '../http/schemas.js';
import { readIdParam, readParticipationBody } from './ingest-input.js';
import { participationBody } from './routes.js';

/** What the schema makes of an input: its value, or undefined for a refusal. */
const bySchema = (schema: { safeParse(input: unknown): { success: boolean; data?: unknown } }, input: unknown) => {
  const r = schema.safeParse(input);
  if (!r.success) return undefined;
  // a key whose value is undefined (never so in a parsed JSON body) is as good as absent
  return typeof r.data === 'object' && r.data !== null ? Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) : r.data;
};

const near = <T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]) => fc.oneof({ weight: 4, arbitrary: good }, ...bad.map((arbitrary) => ({ weight: 1, arbitrary })));
const anything = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.double(), fc.string(), fc.array(fc.integer()), fc.object());
const userIds = near(
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 63),
  fc.integer().map(String),
  anything,
);
const requestIds = near(
  fc.stringMatching(REQUEST_ID_PATTERN),
  fc.constantFrom('', 'a'.repeat(65), 'with space', 'é', 'a/b', 'x\n'),
  anything,
);

describe('the participation inputs without zod', () => {
  it('take every body the schema takes, with the same value, and nothing it refuses (fast-check)', () => {
    const bodies = near(
      fc.record({ userId: userIds, requestId: requestIds, other: anything }, { requiredKeys: [] }),
      anything,
      fc.array(fc.record({ userId: userIds })),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        const fast = readParticipationBody(body);
        const schema = bySchema(participationBody, body);
        if (fast === undefined) return; // the schema decides: its answer is the one given
        assert.deepEqual(fast, schema);
      }),
      { numRuns: 20_000 },
    );
  });

  it('leave no valid body to the schema: the common form costs no zod parse (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.option(fc.stringMatching(REQUEST_ID_PATTERN), { nil: undefined }), (userId, requestId) => {
        const body = requestId === undefined ? { userId } : { userId, requestId };
        assert.deepEqual(readParticipationBody(body), bySchema(participationBody, body));
      }),
    );
  });

  it('read a path id as idParam does (fast-check)', () => {
    const ids = near(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String), fc.constantFrom('0', '01', '-1', '+1', '1e3', ' 1', '9007199254740993', '9999999999999999', '1.0', ''), anything);
    fc.assert(
      fc.property(ids, (raw) => {
        assert.equal(readIdParam(raw), bySchema(idParam, raw));
      }),
      { numRuns: 20_000 },
    );
  });
});
