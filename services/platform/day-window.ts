/** A calendar day, `YYYY-MM-DD`, as the business sees it in its time zone. */
export type IsoDate = string;

export interface DayWindow {
  readonly date: IsoDate;
  /** Local midnight of the day, as a UTC instant (inclusive). */
  readonly start: Date;
  /** Local midnight of the next day (exclusive): 23, 24 or 25 hours later around DST changes. */
  readonly end: Date;
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** The shape of a date only: isIsoDate also refuses impossible dates such as 2026-02-30. */
export const ISO_DATE_PATTERN = ISO_DATE.source;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date (no 2026-02-30) in the form YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant at which the wall clock in `zone` shows 00:00 on `date`. */
function localMidnight(date: IsoDate, zone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when midnight sits next to a DST change.
  let guess = wall - zoneOffsetMs(wall, zone);
  guess = wall - zoneOffsetMs(guess, zone);
  return new Date(guess);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function dayWindow(date: IsoDate, zone: string): DayWindow {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return { date, start: localMidnight(date, zone), end: localMidnight(addDays(date, 1), zone) };
}

/** The calendar date in `zone` at `instant`. */
export function dateIn(instant: Date, zone: string): IsoDate {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export class InvalidDateError extends Error {
  override readonly name = 'InvalidDateError';
}

/** A day statistics can exist for: a real calendar date, today (partial) or earlier in `zone`. */
export function checkPastDate(date: string, zone: string, now: Date): IsoDate {
  if (!isIsoDate(date)) throw new InvalidDateError(`must be a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const today = dateIn(now, zone);
  if (date > today) throw new InvalidDateError(`${date} is in the future (today is ${today} in ${zone})`);
  return date;
}

export function yesterdayIn(now: Date, zone: string): IsoDate {
  return addDays(dateIn(now, zone), -1);
}
