import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, dateIn, dayWindow, isIsoDate, isValidTimeZone, yesterdayIn } from './day-window.js';

describe('day windows', () => {
  it('UTC days are plain midnights', () => {
    const w = dayWindow('2026-11-20', 'UTC');
    assert.equal(w.start.toISOString(), '2026-11-20T00:00:00.000Z');
    assert.equal(w.end.toISOString(), '2026-11-21T00:00:00.000Z');
  });

  it('a zone ahead of UTC starts the day the evening before, in UTC', () => {
    const w = dayWindow('2026-11-20', 'Asia/Seoul');
    assert.equal(w.start.toISOString(), '2026-11-19T15:00:00.000Z');
    assert.equal(w.end.toISOString(), '2026-11-20T15:00:00.000Z');
  });

  it('days around DST changes last 23 and 25 hours', () => {
    const spring = dayWindow('2026-03-29', 'Europe/Berlin');
    assert.equal(spring.start.toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal(spring.end.getTime() - spring.start.getTime(), 23 * 3600_000);
    const autumn = dayWindow('2026-10-25', 'Europe/Berlin');
    assert.equal(autumn.end.getTime() - autumn.start.getTime(), 25 * 3600_000);
    const ny = dayWindow('2026-03-08', 'America/New_York');
    assert.equal(ny.start.toISOString(), '2026-03-08T05:00:00.000Z');
    assert.equal(ny.end.toISOString(), '2026-03-09T04:00:00.000Z');
  });

  it('the last millisecond of a day and the first of the next fall on different days', () => {
    const w = dayWindow('2026-11-20', 'Asia/Seoul');
    assert.equal(dateIn(new Date(w.end.getTime() - 1), 'Asia/Seoul'), '2026-11-20');
    assert.equal(dateIn(w.end, 'Asia/Seoul'), '2026-11-21');
    assert.equal(dateIn(w.start, 'Asia/Seoul'), '2026-11-20');
  });

  it('yesterday depends on the zone', () => {
    const now = new Date('2026-11-21T16:00:00Z'); // already the 22nd in Seoul
    assert.equal(yesterdayIn(now, 'UTC'), '2026-11-20');
    assert.equal(yesterdayIn(now, 'Asia/Seoul'), '2026-11-21');
  });

  it('validates dates and zones', () => {
    assert.equal(isIsoDate('2026-02-28'), true);
    assert.equal(isIsoDate('2028-02-29'), true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '20261101', 'yesterday', '2026-11-20T00:00:00Z', '']) assert.equal(isIsoDate(bad), false, bad);
    assert.equal(isValidTimeZone('Asia/Seoul'), true);
    assert.equal(isValidTimeZone('Mars/Olympus'), false);
    assert.throws(() => dayWindow('2026-02-30', 'UTC'), RangeError);
  });

  it('adds days across month and year ends', () => {
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  });
});
