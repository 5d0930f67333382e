import { z } from 'zod';
import { ISO_DATE_PATTERN } from '../../platform/day-window.js';
import { REQUEST_ID_PATTERN } from '../../platform/request-id.js';

/** A path id's digits: no sign, no leading zero, at most 16 (idParam then checks the exact integer range). */
export const ID_PARAM_PATTERN = /^[1-9][0-9]{0,15}$/;

/** A path id: digits only, no sign, no leading zero, within JavaScript's exact integer range. */
export const idParam = z
  .string()
  .regex(ID_PARAM_PATTERN, 'must be a positive integer')
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), 'is too large');

export const userId = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
  .int('must be an integer')
  .positive('must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

/** Client-chosen request ids: safe in URLs, headers and log lines. */
export const requestId = z.string().regex(REQUEST_ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -');

export const pageQuery = z.object({
  page: z.coerce.number().int().min(0).max(1_000_000).default(0),
  size: z.coerce.number().int().min(1).max(500).default(50),
});

/** How a date parameter reads in the contract; whether it is a real, past day is checkPastDate's to say. */
export const calendarDateShape = { format: 'date', pattern: ISO_DATE_PATTERN } as const;
