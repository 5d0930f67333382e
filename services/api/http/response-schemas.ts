import { z } from 'zod';
import { calendarDateShape } from './schemas.js';

// Pieces the response shapes of several features share.

export const positiveId = z.number().int().min(1);
export const count = z.number().int().min(0);
/** Written by Date#toISOString. */
export const instant = z.string().meta({ format: 'date-time' });
/** A calendar date YYYY-MM-DD. */
export const calendarDay = z.string().meta(calendarDateShape);

const PERCENT = /^[0-9]+\.[0-9]{2}%$/;

/** A ratio in percent with two decimals, as the original clients display it. */
export const percent = (description: string, example: string) => z.string().regex(PERCENT).meta({ description, examples: [example] });
