import { describe, expect, it } from 'vitest';
import { dateFormatter, formatDate, formatSpan, spanFormatter } from '../../src/cli/render/dates.js';

// The printout's remembered formatters give, for every instant, what the plain formatter gives.
describe('dateFormatter', () => {
  const around = (start: string, days: number) =>
    Array.from({ length: days * 96 }, (_, quarter) => new Date(Date.parse(start) + quarter * 15 * 60_000).toISOString());
  const instants = [
    ...around('2025-03-28T00:00:00Z', 4), // clocks forward in Europe (30 March)
    ...around('2025-10-24T00:00:00Z', 4), // and back (26 October)
    ...around('2025-03-07T00:00:00Z', 4), // in North America (9 March)
    ...around('2024-12-30T00:00:00Z', 4), // a new year
  ];
  // Shuffled the same way each run, so that a day's first instant is not always its earliest.
  const shuffled = instants.map((iso, index) => ({ iso, key: (index * 7919) % instants.length })).sort((a, b) => a.key - b.key).map(({ iso }) => iso);

  for (const timeZone of ['Europe/Rome', 'America/New_York', 'Pacific/Chatham', 'Asia/Kolkata', 'UTC']) {
    it(`gives the civil date of each instant in ${timeZone}, in both languages and both styles`, () => {
      for (const language of ['it', 'en'] as const) {
        for (const rich of [true, false]) {
          const day = dateFormatter(timeZone, language, rich);
          const wrong = shuffled.filter((iso) => day(iso) !== formatDate(iso, timeZone, language, rich));
          expect(wrong).toEqual([]);
        }
      }
    });
  }
});

describe('spanFormatter', () => {
  it('words each span as formatSpan does, late or left', () => {
    for (const language of ['it', 'en'] as const) {
      const span = spanFormatter(language);
      for (let seconds = -200 * 3600; seconds <= 200 * 3600; seconds += 97) {
        expect(span(seconds * 1000)).toBe(formatSpan(seconds * 1000, language));
      }
    }
  });
});
