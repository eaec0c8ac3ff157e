import { isoWithOffset, zonedParts } from '../../domain/calendar.js';
import type { Language } from '../../domain/vocabulary.js';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * An instant for people: `26/11/2026 09:30` (Italian) or `2026-11-26 09:30`
 * (English) on a terminal; ISO 8601 with the zone's offset when piped, so a
 * script reads it exactly.
 */
export function formatInstant(iso: string | null, timeZone: string, language: Language, rich: boolean): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (!rich) return isoWithOffset(instant, timeZone);
  const { date, time } = zonedParts(instant, timeZone);
  const clock = `${pad(time.hours)}:${pad(time.minutes)}`;
  return language === 'it'
    ? `${pad(date.day)}/${pad(date.month)}/${date.year} ${clock}`
    : `${date.year}-${pad(date.month)}-${pad(date.day)} ${clock}`;
}

/** Just the date, in the same two styles. */
export function formatDate(iso: string | null, timeZone: string, language: Language, rich: boolean): string {
  if (!iso) return '';
  const { date } = zonedParts(new Date(iso), timeZone);
  return rich && language === 'it'
    ? `${pad(date.day)}/${pad(date.month)}/${date.year}`
    : `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

const HOUR = 3_600_000;

/**
 * A span of time for a deadline: hours when under two days, else whole days
 * (rounded down: "3 days late" means at least three).
 */
export function formatSpan(milliseconds: number, language: Language): string {
  const span = Math.abs(milliseconds);
  if (span < 48 * HOUR) {
    const hours = Math.floor(span / HOUR);
    if (hours === 0) {
      const minutes = Math.floor(span / 60_000);
      return language === 'it' ? `${minutes} min` : `${minutes} min`;
    }
    return language === 'it' ? `${hours} ${hours === 1 ? 'ora' : 'ore'}` : `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  }
  const days = Math.floor(span / (24 * HOUR));
  return language === 'it' ? `${days} giorni` : `${days} days`;
}

/** "3 days left" / "in ritardo di 5 ore". */
export function formatTimeLeft(dueIso: string, asOf: Date, language: Language): string {
  const left = new Date(dueIso).getTime() - asOf.getTime();
  const span = formatSpan(left, language);
  if (left >= 0) return language === 'it' ? `mancano ${span}` : `${span} left`;
  return language === 'it' ? `in ritardo di ${span}` : `${span} late`;
}
