import { civilDateKey, civilDateOf } from '../../domain/calendar.js';
import { InputError } from '../../domain/errors.js';
import { type Holiday, holidaysIn } from '../../domain/holidays.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { localeOf } from '../../i18n/language.js';
import { formatDate } from '../render/dates.js';
import type { CommandInput } from '../command-types.js';

const FIRST_YEAR = 1900;
const LAST_YEAR = 9999;

/**
 * `urp config holidays [--year Y] [--json]`: the days on which no deadline
 * falls in a year, besides Sundays: the national holidays in force that
 * year and the local ones of the `local-holidays` setting. The year defaults
 * to the current one in the office's time zone.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<void> {
  const input = parseOptions({ year: text, json: flag }, options);
  const settings = await context.settings();
  const year = input.year === undefined ? civilDateOf(context.clock(), settings.timeZone).year : yearOption(input.year);
  const holidays = holidaysIn(year, settings.localHolidays);
  if (input.json) {
    return context.output.json(
      holidays.map((holiday) => ({ date: civilDateKey(holiday.date), code: holiday.code, kind: holiday.code === 'local' ? 'local' : 'national' })),
    );
  }
  const { language } = context;
  const weekdays = new Intl.DateTimeFormat(localeOf(language), { weekday: 'long', timeZone: 'UTC' });
  const columns: Column<Holiday>[] = [
    {
      header: context.t('holidays.headerDate'),
      // As every date urp prints: Italian style on a terminal, ISO when piped.
      value: ({ date }) => formatDate(`${civilDateKey(date)}T12:00:00Z`, 'UTC', language, context.output.rich),
    },
    { header: context.t('holidays.headerWeekday'), value: ({ date }) => weekdays.format(new Date(Date.UTC(date.year, date.month - 1, date.day))) },
    { header: context.t('holidays.headerName'), value: (holiday) => context.t(`holiday.${holiday.code}`) },
    { header: context.t('holidays.headerKind'), value: (holiday) => context.t(holiday.code === 'local' ? 'holidays.local' : 'holidays.national') },
  ];
  await context.output.table(columns, holidays);
}

function yearOption(value: string): number {
  const year = Number(value.trim());
  if (!/^\d{4}$/.test(value.trim()) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new InputError('holidays.yearExpected', { min: FIRST_YEAR, max: LAST_YEAR }, 'year');
  }
  return year;
}
