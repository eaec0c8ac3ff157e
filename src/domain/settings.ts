import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { isRealDate, isValidTimeZone } from './calendar.js';
import type { DeadlineSettings } from './deadlines.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { InputError, echo } from './errors.js';
import { parseMailFrom, parseSmtpUrl } from './mail/smtp-settings.js';
import { authorize } from './operators.js';
import { DEFAULT_TIME_ZONE } from './time-zone.js';

/**
 * Settings stored in the database (SPEC section 4): the deadlines' periods,
 * the time zone, local holidays, the due-soon window and the organisation's
 * name for printouts. Each key has a default, a parser that validates what a
 * person types, and a printer.
 */
export interface Settings extends DeadlineSettings, MailSettings {
  readonly dueSoonDays: number;
  readonly organisationName: string;
}

/** Messages that reach people (issue 14), and the office's contacts they (and the letters) carry. */
export interface MailSettings {
  /** smtp://host:port or smtps://host:port, never with credentials; null: no mail is queued. */
  readonly mailSmtp: string | null;
  readonly mailFrom: string | null;
  readonly pecSmtp: string | null;
  readonly pecFrom: string | null;
  readonly mailReceipt: boolean;
  readonly mailAssignment: boolean;
  readonly mailReply: boolean;
  readonly mailDigest: boolean;
  /** Whether the area's notification names the citizen (never the tax code or phone). */
  readonly mailAreaCitizenName: boolean;
  /** The language of the messages. */
  readonly mailLanguage: 'it' | 'en';
  readonly organisationAddress: string | null;
  readonly urpPhone: string | null;
  readonly urpEmail: string | null;
  readonly urpHours: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  assignHours: 48,
  replyDays: 30,
  timeZone: DEFAULT_TIME_ZONE,
  localHolidays: [],
  dueSoonDays: 5,
  organisationName: 'Comune',
  mailSmtp: null,
  mailFrom: null,
  pecSmtp: null,
  pecFrom: null,
  mailReceipt: true,
  mailAssignment: true,
  mailReply: true,
  mailDigest: true,
  mailAreaCitizenName: false,
  mailLanguage: 'it',
  organisationAddress: null,
  urpPhone: null,
  urpEmail: null,
  urpHours: null,
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

// Mail settings (issue 14): `none` clears an optional one.
const CLEARED = ['none', 'nessuno', 'nessuna'];

function optionalSetting<Name extends SettingName>(name: Name, parse: (text: string) => NonNullable<Settings[Name]>) {
  return {
    name,
    parse: (text: string) => (CLEARED.includes(text.trim().toLowerCase()) ? null : parse(text)),
  } as SettingDefinition<Name>;
}

function switchSetting<Name extends 'mailReceipt' | 'mailAssignment' | 'mailReply' | 'mailDigest' | 'mailAreaCitizenName'>(name: Name) {
  return {
    name,
    parse(text: string) {
      const value = text.trim().toLowerCase();
      if (['on', 'yes', 'si', 'sì', 'true', '1'].includes(value)) return true;
      if (['off', 'no', 'false', '0'].includes(value)) return false;
      throw new InputError('config.switchExpected', { key: keyOf(name) }, 'value');
    },
  } as SettingDefinition<Name>;
}

/** Free text printed on messages and letters: line breaks only where `lines` allows them, no other control characters. */
function contactSetting<Name extends 'organisationAddress' | 'urpPhone' | 'urpEmail' | 'urpHours'>(name: Name, limit: number, lines: boolean) {
  return optionalSetting(name, (text: string) => {
    const value = text.replace(/\r\n?/g, '\n').trim();
    const control = lines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/ : /[\u0000-\u001f\u007f-\u009f]/;
    if (value.length === 0 || value.length > limit || control.test(value)) {
      throw new InputError(lines ? 'config.linesExpected' : 'config.textExpected', { key: keyOf(name), limit }, 'value');
    }
    return value as NonNullable<Settings[Name]>;
  });
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
  // Mail (issue 14). Credentials are never settings: they come from the environment.
  'mail-smtp': optionalSetting('mailSmtp', (text) => parseSmtpUrl(text, 'mail-smtp').text),
  'mail-from': optionalSetting('mailFrom', (text) => parseMailFrom(text, 'mail-from').text),
  'pec-smtp': optionalSetting('pecSmtp', (text) => parseSmtpUrl(text, 'pec-smtp').text),
  'pec-from': optionalSetting('pecFrom', (text) => parseMailFrom(text, 'pec-from').text),
  'mail-receipt': switchSetting('mailReceipt'),
  'mail-assignment': switchSetting('mailAssignment'),
  'mail-reply': switchSetting('mailReply'),
  'mail-digest': switchSetting('mailDigest'),
  'mail-area-citizen-name': switchSetting('mailAreaCitizenName'),
  'mail-language': {
    name: 'mailLanguage',
    parse(text: string) {
      const value = text.trim().toLowerCase();
      if (value !== 'it' && value !== 'en') throw new InputError('config.languageExpected', {}, 'value');
      return value;
    },
  } as SettingDefinition<'mailLanguage'>,
  'organisation-address': contactSetting('organisationAddress', 500, true),
  'urp-phone': contactSetting('urpPhone', 200, false),
  'urp-email': contactSetting('urpEmail', 200, false),
  'urp-hours': contactSetting('urpHours', 200, false),
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
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** `config set`: an admin's change, validated, stored and audited. */
export async function changeSetting(db: Kysely<Database>, actor: Actor, key: SettingKey, text: string): Promise<unknown> {
  await authorize(db, actor, 'manage');
  const value = await setSetting(db, key, text, actor.now);
  await recordAudit(db, actor, 'setting_changed', `setting:${key}`, JSON.stringify(value));
  return value;
}
