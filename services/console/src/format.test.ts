import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatDuration, formatRate, localDate } from './format.js';

describe('format', () => {
  it('groups counts and keeps one decimal only on small rates', () => {
    assert.equal(formatCount(12345), '12,345');
    assert.equal(formatRate(4.25), '4.3/s');
    assert.equal(formatRate(5123.7), '5,124/s');
  });

  it('writes durations at a useful unit', () => {
    assert.equal(formatDuration(250), '250 ms');
    assert.equal(formatDuration(2345), '2.3 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
  });

  it('shifts local dates across month ends', () => {
    assert.equal(localDate(new Date(2026, 2, 1, 12), -1), '2026-02-28');
    assert.equal(localDate(new Date(2026, 11, 31, 12), 1), '2027-01-01');
  });
});
