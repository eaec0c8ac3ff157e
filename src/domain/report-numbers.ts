import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { civilDateOf } from './calendar.js';
import { InputError } from './errors.js';

/** `2026/000042`: the year of registration and a gap-free sequence within it (SPEC 3.3). */
export function formatReportNumber(year: number, sequence: number): string {
  return `${year}/${String(sequence).padStart(6, '0')}`;
}

/**
 * Reads a number as people type it: `2026/000042`, `2026/42`, `42/2026`,
 * and `42` alone for the `currentYear` when one is given (a clerk types the
 * number of this year's report; an imported file never means it).
 * Returns the canonical form, or throws an InputError for `field`.
 */
export function parseReportNumber(text: string, field = 'number', currentYear?: number): { number: string; year: number; sequence: number } {
  const trimmed = text.trim();
  let match = /^(\d{4})[/-](\d{1,6})$/.exec(trimmed);
  let year: number, sequence: number;
  if (match) {
    year = Number(match[1]);
    sequence = Number(match[2]);
  } else if ((match = /^(\d{1,6})[/-](\d{4})$/.exec(trimmed))) {
    year = Number(match[2]);
    sequence = Number(match[1]);
  } else if (currentYear !== undefined && (match = /^(\d{1,6})$/.exec(trimmed))) {
    year = currentYear;
    sequence = Number(match[1]);
  } else throw new InputError('report.numberFormat', {}, field);
  if (sequence < 1 || year < 1900) throw new InputError('report.numberFormat', {}, field);
  return { number: formatReportNumber(year, sequence), year, sequence };
}

/** The year a number typed without one belongs to: the year of `now` in the office's time zone. */
export function currentYearOf(now: Date, timeZone: string): number {
  return civilDateOf(now, timeZone).year;
}

/**
 * Takes the next number of the year. Must run inside the write transaction
 * that inserts the report: the increment is rolled back with it, so numbers
 * stay gap-free, and BEGIN IMMEDIATE serialises concurrent registrations.
 */
export async function takeNextNumber(db: Kysely<Database>, year: number): Promise<{ number: string; year: number; sequence: number }> {
  const row = await db
    .insertInto('report_sequences')
    .values({ year, last_value: 1 })
    .onConflict((conflict) => conflict.column('year').doUpdateSet((eb) => ({ last_value: eb('report_sequences.last_value', '+', 1) })))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return { number: formatReportNumber(year, row.last_value), year, sequence: row.last_value };
}
