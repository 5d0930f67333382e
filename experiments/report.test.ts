import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fmt, percentiles, table } from './report.js';

describe('experiment report formatting', () => {
  it('formats numbers with separators and fixed digits, n/a for non-finite', () => {
    assert.equal(fmt(1234567.891), '1,234,568');
    assert.equal(fmt(3.14159, 2), '3.14');
    assert.equal(fmt(Number.NaN), 'n/a');
    assert.equal(fmt(Number.POSITIVE_INFINITY), 'n/a');
  });

  it('builds a Markdown table, numbers right-aligned, pipes escaped', () => {
    assert.equal(table(['a', 'n'], [['x|y', '1']], [false, true]), '| a | n |\n| --- | ---: |\n| x\\|y | 1 |');
  });

  it('nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual(percentiles(samples, [50, 99, 100]), [50, 99, 100]);
    assert.deepEqual(percentiles([7], [50, 99]), [7, 7]);
    assert.ok(percentiles([], [50]).every(Number.isNaN));
  });
});
