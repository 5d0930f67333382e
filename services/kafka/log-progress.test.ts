import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backlog } from './log-progress.js';

test('backlog counts from the stored offset, or from the log start where none is stored', () => {
  const ends = [
    { partition: 0, low: '0', high: '10' },
    { partition: 1, low: '5', high: '9' },
    { partition: 2, low: '0', high: '3' },
  ];
  assert.deepEqual(backlog(ends, new Map([[0, 7], [2, 3]])), new Map([[0, 3], [1, 4], [2, 0]]));
});

test('a stored offset beyond the log end read before it (a commit in between) is no backlog', () => {
  assert.deepEqual(backlog([{ partition: 0, low: '0', high: '4' }], new Map([[0, 9]])), new Map([[0, 0]]));
});
