import { isoWithOffset, localDayNumber, zonedParts } from '../../domain/calendar.js';
import type { Language } from '../../i18n/language.js';
import { translate } from '../../i18n/messages.js';
import { remembered } from '../../text/remembered.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The parts of an instant or a date that the catalogue's patterns name ({day}/{month}/{year} {hours}:{minutes}). */
function parts(iso: string, timeZone: string): Record<string, string> {
  const { date, time } = zonedParts(new Date(iso), timeZone);
  return { year: String(date.year), month: pad(date.month), day: pad(date.day), hours: pad(time.hours), minutes: pad(time.minutes) };
}

/**
 * An instant for people: `26/11/2026 09:30` (Italian) or `2026-11-26 09:30`
 * (English) on a terminal, as the language's catalogue writes it; ISO 8601
 * with the zone's offset when piped, so a script reads it exactly.
 */
export function formatInstant(iso: string | null, timeZone: string, language: Language, rich: boolean): string {
  if (!iso) return '';
  if (!rich) return isoWithOffset(new Date(iso), timeZone);
  return translate(language, 'format.instant', parts(iso, timeZone));
}

/** Just the date, in the same two styles (ISO when piped). */
export function formatDate(iso: string | null, timeZone: string, language: Language, rich: boolean): string {
  if (!iso) return '';
  const values = parts(iso, timeZone);
  return rich ? translate(language, 'format.date', values) : `${values.year}-${values.month}-${values.day}`;
}

/**
 * formatDate for many instants (a printout's thousand rows): each civil day
 * put into words once, the instants of one day known by their local day
 * number alone.
 */
export function dateFormatter(timeZone: string, language: Language, rich: boolean): (iso: string) => string {
  return remembered(
    (iso: string) => formatDate(iso, timeZone, language, rich),
    (iso) => localDayNumber(Date.parse(iso), timeZone),
  );
}

const HOUR = 3_600_000;

/**
 * A span of time for a deadline: hours when under two days, else whole days
 * (rounded down: "3 days late" means at least three).
 */
export function formatSpan(milliseconds: number, language: Language): string {
  const { key, count } = spanOf(milliseconds);
  return translate(language, key, { count });
}

/** formatSpan for many spans: each put into words once, known by the minutes, hours or days it shows. */
export function spanFormatter(language: Language): (milliseconds: number) => string {
  return remembered(
    (milliseconds: number) => formatSpan(milliseconds, language),
    (milliseconds) => {
      const { key, count } = spanOf(milliseconds);
      return `${key}:${count}`;
    },
  );
}

function spanOf(milliseconds: number): { key: 'span.minutes' | 'span.hours' | 'span.days'; count: number } {
  const span = Math.abs(milliseconds);
  if (span < 48 * HOUR) {
    const hours = Math.floor(span / HOUR);
    return hours === 0 ? { key: 'span.minutes', count: Math.floor(span / 60_000) } : { key: 'span.hours', count: hours };
  }
  return { key: 'span.days', count: Math.floor(span / (24 * HOUR)) };
}

/** "3 days left" / "mancano 5 ore", "manca 1 giorno" / "in ritardo di 2 giorni". */
export function formatTimeLeft(dueIso: string, asOf: Date, language: Language): string {
  const left = new Date(dueIso).getTime() - asOf.getTime();
  const { key, count } = spanOf(left);
  return translate(language, left >= 0 ? 'span.left' : 'span.late', { span: translate(language, key, { count }), count });
}
