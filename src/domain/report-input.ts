import * as z from 'zod/mini';
import { dateInputProblem, parseDateInput } from './date-input.js';
import { InputError } from './errors.js';
import { TEXT_LIMITS } from './text-fields.js';
import { fail, optionalLimited, optionalTrimmed, parseFields, requiredLimited, vocabularyCode } from './validation.js';
import { channels, reportTypes } from './vocabulary.js';

/**
 * The fields of a new report, as typed at a prompt, given as flags or read
 * from an imported row: one schema, so that all three follow the same rules.
 * Lookups that need the database (category, area, citizen) come after.
 */
export function reportFieldsSchema(timeZone: string, now?: Date) {
  return z.object({
    type: vocabularyCode(reportTypes, 'report.typeUnknown'),
    channel: vocabularyCode(channels, 'report.channelUnknown'),
    receivedAt: z.pipe(
      optionalTrimmed,
      z.transform((value, context) => {
        if (value === undefined) return undefined;
        const parsed = parseDateInput(value, timeZone, { now });
        if (parsed) return parsed.instant;
        const { key, params } = dateInputProblem(value, timeZone, { now });
        return fail(context, key, params);
      }),
    ),
    subject: requiredLimited(TEXT_LIMITS.subject),
    description: optionalLimited(TEXT_LIMITS.description),
    category: optionalLimited(TEXT_LIMITS.name),
    area: optionalLimited(TEXT_LIMITS.name),
    location: optionalLimited(TEXT_LIMITS.location),
    externalRef: optionalLimited(TEXT_LIMITS.externalRef),
  });
}

export type ReportFields = z.output<ReturnType<typeof reportFieldsSchema>>;
export type ReportFieldsText = { [Field in keyof ReportFields]?: string | null | undefined };

const schemas = new Map<string, ReturnType<typeof reportFieldsSchema>>();

/**
 * Validates the text fields of a report; throws InputError(s) naming each bad
 * field. `now` when a person typed them (flags, prompts): `ieri`, `27/11` are
 * read then; an imported row gives none.
 */
export function parseReportFields(input: ReportFieldsText, timeZone: string, now?: Date): ReportFields {
  return parseFields(now ? reportFieldsSchema(timeZone, now) : schemaFor(timeZone), input);
}

/** The schema for a time zone, built once (an import validates every row with it). */
function schemaFor(timeZone: string): ReturnType<typeof reportFieldsSchema> {
  let schema = schemas.get(timeZone);
  if (!schema) schemas.set(timeZone, (schema = reportFieldsSchema(timeZone)));
  return schema;
}

/**
 * When a report was received (SPEC 3.4): not in the future, not after its
 * registration, not before the register's floor (the start of the
 * `earliest-receipt` day in the office's zone). The one check for flags,
 * prompts and import.
 */
export function checkReceivedAt(received: Date, registered: Date, settings: { earliestReceipt: string; timeZone: string }): void {
  if (received.getTime() > registered.getTime()) throw new InputError('report.receivedInFuture', {}, 'receivedAt');
  const floor = parseDateInput(settings.earliestReceipt, settings.timeZone)!.instant;
  if (received.getTime() < floor.getTime()) throw new InputError('report.receivedBeforeFloor', { floor: settings.earliestReceipt }, 'receivedAt');
}

/**
 * Checks only the fields that were given (flags, before the prompts ask for
 * the rest), so that a bad value is refused at once rather than after the
 * whole flow.
 */
export function checkGivenReportFields(input: ReportFieldsText, settings: { earliestReceipt: string; timeZone: string }, now: Date): void {
  const schema = reportFieldsSchema(settings.timeZone, now);
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const shape = schema.def.shape as Record<string, z.ZodMiniType>;
  const parsed = parseFields(z.object(Object.fromEntries(Object.keys(given).map((key) => [key, shape[key]!]))), given) as Partial<ReportFields>;
  if (parsed.receivedAt) checkReceivedAt(parsed.receivedAt, now, settings);
}
