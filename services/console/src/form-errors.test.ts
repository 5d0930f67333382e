import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeProblems, problemsOf } from './form-errors.js';

describe('placeProblems', () => {
  it('puts each problem next to its input and the rest above the form', () => {
    const placed = placeProblems(
      [
        { field: 'body.name', problem: 'must not be empty' },
        { field: 'body.totalStock', problem: 'must be an integer' },
        { field: 'body.totalStock', problem: 'must be at least 1' },
        { field: 'body', problem: 'must be a JSON object' },
        { field: 'body.colour', problem: 'unknown' },
      ],
      ['name', 'totalStock', 'startsAt'],
      'body.',
    );
    assert.deepEqual(placed.byField.get('name'), ['must not be empty']);
    assert.deepEqual(placed.byField.get('totalStock'), ['must be an integer', 'must be at least 1']);
    assert.equal(placed.byField.has('startsAt'), false);
    assert.deepEqual(placed.general, ['body: must be a JSON object', 'body.colour: unknown']);
  });
});

describe('problemsOf', () => {
  it('reads data.details and ignores what is not a problem', () => {
    assert.deepEqual(problemsOf({ details: [{ field: 'body.name', problem: 'x' }, { field: 1 }, null, 'y'] }), [{ field: 'body.name', problem: 'x' }]);
    assert.deepEqual(problemsOf(null), []);
    assert.deepEqual(problemsOf({ details: 'nope' }), []);
  });
});
