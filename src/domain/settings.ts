import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { isRealDate, isValidTimeZone } from './calendar.js';
import type { DeadlineSettings } from './deadlines.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { InputError, echo } from './errors.js';
import { authorize } from './operators.js';
import { DEFAULT_TIME_ZONE } from './time-zone.js';

/**
 * Settings stored in the database (SPEC section 4): the deadlines' periods,
 * the time zone, local holidays, the due-soon window and the organisation's
 * name for printouts. Each key has a default, a parser that validates what a
 * person types, and a printer.
 */
export interface Settings extends DeadlineSettings {
  readonly dueSoonDays: number;
  readonly organisationName: string;
  /** The register's floor (YYYY-MM-DD, office time): no receipt before it (SPEC 3.4). */
  readonly earliestReceipt: string;
}

export const DEFAULT_SETTINGS: Settings = {
  assignHours: 48,
  replyDays: 30,
  timeZone: DEFAULT_TIME_ZONE,
  localHolidays: [],
  dueSoonDays: 5,
  organisationName: 'Comune',
  earliestReceipt: '1990-01-01',
};

type SettingName = keyof Settings;

interface SettingDefinition<Name extends SettingName> {
  readonly name: Name;
  /** Turns typed text into a value, or throws an InputError saying what is expected. */
  parse(text: string): Settings[Name];
}

function integerSetting<Name extends 'assignHours' | 'replyDays' | 'dueSoonDays'>(name: Name, min: number, max: number) {
  return {
    name,
    parse(text: string) {
      const value = Number(text.trim());
      if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
        throw new InputError('config.integerExpected', { key: keyOf(name), min, max }, 'value');
      }
      return value;
    },
  } as SettingDefinition<Name>;
}

/** Config keys as typed on the command line, kebab-case. */
export const SETTING_KEYS = {
  'assign-hours': integerSetting('assignHours', 1, 720),
  'reply-days': integerSetting('replyDays', 1, 365),
  'due-soon-days': integerSetting('dueSoonDays', 0, 90),
  'time-zone': {
    name: 'timeZone',
    parse(text: string) {
      const zone = text.trim();
      if (!isValidTimeZone(zone) || !zone.includes('/')) throw new InputError('config.timeZoneExpected', { value: echo(zone) }, 'value');
      return zone;
    },
  } as SettingDefinition<'timeZone'>,
  'local-holidays': {
    name: 'localHolidays',
    parse(text: string) {
      // `none` clears the list.
      if (['none', 'nessuna', 'nessuno'].includes(text.trim().toLowerCase())) return [];
      const days = text
        .split(/[,\s]+/)
        .map((day) => day.trim())
        .filter(Boolean);
      for (const day of days) {
        const match = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(day);
        // A recurring MM-DD is checked against a leap year so that 02-29 is allowed.
        if (!match || !isRealDate(Number(match[1] ?? 2024), Number(match[2]), Number(match[3]))) {
          throw new InputError('config.holidayExpected', { value: echo(day) }, 'value');
        }
      }
      return [...new Set(days)].sort();
    },
  } as SettingDefinition<'localHolidays'>,
  'organisation-name': {
    name: 'organisationName',
    parse(text: string) {
      const name = text.trim();
      // Printed at the top of every printout: no control characters (a terminal would obey them).
      if (name.length === 0 || name.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(name)) throw new InputError('config.nameExpected', {}, 'value');
      return name;
    },
  } as SettingDefinition<'organisationName'>,
  'earliest-receipt': {
    name: 'earliestReceipt',
    parse(text: string) {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
      // From 1900: older dates are not history any register of complaints holds.
      if (!match || Number(match[1]) < 1900 || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
        throw new InputError('config.floorExpected', { value: echo(text) }, 'value');
      }
      return text.trim();
    },
  } as SettingDefinition<'earliestReceipt'>,
} as const;

export type SettingKey = keyof typeof SETTING_KEYS;

function keyOf(name: SettingName): string {
  return Object.entries(SETTING_KEYS).find(([, definition]) => definition.name === name)![0];
}

export function settingKey(text: string): SettingKey {
  const key = text.trim().toLowerCase();
  if (!(key in SETTING_KEYS)) {
    throw new InputError('config.unknownKey', { key: text, keys: Object.keys(SETTING_KEYS).join(', ') }, 'key');
  }
  return key as SettingKey;
}

/** The settings, defaults filled in for keys never set. */
export async function loadSettings(db: Kysely<Database>): Promise<Settings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    const definition = SETTING_KEYS[row.key as SettingKey];
    if (definition) settings[definition.name] = JSON.parse(row.value);
  }
  return settings as unknown as Settings;
}

/** Validates and stores one setting; returns the value stored. */
export async function setSetting(db: Kysely<Database>, key: SettingKey, text: string, now: Date): Promise<unknown> {
  const value = SETTING_KEYS[key].parse(text);
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: now.toISOString() })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now.toISOString() }))
    .execute();
  return value;
}

export function settingValue(settings: Settings, key: SettingKey): Settings[SettingName] {
  return settings[SETTING_KEYS[key].name];
}

export function formatSettingValue(value: Settings[SettingName]): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** `config set`: an admin's change, validated, stored and audited. */
export async function changeSetting(db: Kysely<Database>, actor: Actor, key: SettingKey, text: string): Promise<unknown> {
  await authorize(db, actor, 'manage');
  const value = await setSetting(db, key, text, actor.now);
  await recordAudit(db, actor, 'setting_changed', `setting:${key}`, JSON.stringify(value));
  return value;
}
