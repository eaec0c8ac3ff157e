import type { Kysely } from 'kysely';
import { findAreaRow } from '../domain/areas.js';
import { START_OF_DAY, civilDateOf, zonedInstant } from '../domain/calendar.js';
import { findCategory } from '../domain/categories.js';
import { getCitizen } from '../domain/citizens.js';
import { dateInputError, parseDateInput } from '../domain/date-input.js';
import { echo, InputError } from '../domain/errors.js';
import type { ReportFilters } from '../domain/report-queries.js';
import { currentYearOf } from '../domain/report-numbers.js';
import { channels, reportTypes, statuses } from '../domain/vocabulary.js';
import type { Database } from '../storage/schema.js';
import { citizenId, count, flag, text, texts } from './command-options.js';

/** The filters `report list` and `export` share (SPEC section 5), as zod option shapes. */
export const reportFilterShape = {
  status: texts,
  area: text,
  type: text,
  channel: text,
  category: text,
  citizen: text,
  from: text,
  to: text,
  search: text,
  late: flag,
  limit: count,
};

type FilterOptions = {
  [Key in keyof typeof reportFilterShape]?: Key extends 'status' ? string[] : Key extends 'late' ? boolean : Key extends 'limit' ? number : string;
};

/**
 * A date option; a date alone stands for the start of that day, or its end
 * with `endOfDay` (for --to). Typed by a person: `ieri`, `27/11` are read
 * against `now`.
 */
export function dateOption(value: string | undefined, field: string, timeZone: string, endOfDay: boolean, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDateInput(value, timeZone, { endOfDay, now });
  if (!parsed) throw dateInputError(value, timeZone, field, { now });
  return parsed.instant;
}

function codeOption<Code extends string>(
  value: string | undefined,
  vocabulary: { parse(text: string): Code | undefined; codes: readonly Code[] },
  field: string,
  key: 'report.typeUnknown' | 'report.channelUnknown' | 'report.statusUnknown',
): Code | undefined {
  if (value === undefined) return undefined;
  const code = vocabulary.parse(value);
  if (!code) throw new InputError(key, { value: echo(value), allowed: vocabulary.codes.join(', ') }, field);
  return code;
}

/**
 * The options turned into filters: codes or Italian labels, area and category
 * looked up, dates in the office's zone. `areaScope` confines an area
 * operator to their own areas (an --area outside them is refused). A number
 * searched for without its year (`--search 301`) is of the year of `asOf`.
 */
export async function reportFilters(
  db: Kysely<Database>,
  input: FilterOptions,
  timeZone: string,
  areaScope: readonly number[] | undefined,
  now: Date,
  asOf: Date = now,
): Promise<ReportFilters> {
  const from = dateOption(input.from, 'from', timeZone, false, now);
  const to = dateOption(input.to, 'to', timeZone, true, now);
  if (from && to && to.getTime() < from.getTime()) throw new InputError('stats.emptyPeriod', {}, 'to');
  const citizen = input.citizen === undefined ? undefined : citizenId(input.citizen, 'citizen');
  // An unknown citizen is a mistake to say, as an unknown area is, not an empty list.
  if (citizen !== undefined) await getCitizen(db, citizen, 'citizen');
  return {
    status: input.status
      ?.flatMap((value) => value.split(','))
      .map((value) => codeOption(value, statuses, 'status', 'report.statusUnknown')!),
    type: codeOption(input.type, reportTypes, 'type', 'report.typeUnknown'),
    channel: codeOption(input.channel, channels, 'channel', 'report.channelUnknown'),
    areaIds: await areaFilter(db, input.area, areaScope),
    categoryId: input.category === undefined ? undefined : (await findCategory(db, input.category)).id,
    citizenId: citizen,
    from,
    to,
    search: input.search?.trim() || undefined,
    searchYear: currentYearOf(asOf, timeZone),
    late: input.late,
    limit: input.limit,
  };
}

/**
 * The areas a listing covers: --area if given, within an area operator's own
 * areas (`scope`); undefined for every area.
 */
export async function areaFilter(db: Kysely<Database>, area: string | undefined, scope: readonly number[] | undefined): Promise<readonly number[] | undefined> {
  if (area === undefined) return scope;
  const { id, code } = await findAreaRow(db, area);
  if (scope && !scope.includes(id)) throw new InputError('permission.notYourAreaList', { area: code }, 'area');
  return [id];
}

/**
 * The period of the statistics and the review (the one rule for both): from
 * --from (default: 1 January of the period's end year) to --to (default:
 * now, or --as-of). An empty period blames the flag that was given.
 */
export function statisticsPeriod(input: { from?: string | undefined; to?: string | undefined; asOf?: string | undefined }, timeZone: string, asOf: Date, now: Date): { from: Date; to: Date } {
  const to = dateOption(input.to, 'to', timeZone, true, now) ?? asOf;
  const from = dateOption(input.from, 'from', timeZone, false, now) ?? zonedInstant({ year: civilDateOf(to, timeZone).year, month: 1, day: 1 }, START_OF_DAY, timeZone);
  if (to.getTime() < from.getTime()) {
    // Without --to the period ends now (or at --as-of).
    throw input.to === undefined ? new InputError(input.asOf === undefined ? 'date.future' : 'stats.afterAsOf', {}, 'from') : new InputError('stats.emptyPeriod', {}, 'to');
  }
  return { from, to };
}
