import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
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
import { LANGUAGE_CODE } from '../i18n/language.js';
import { hasLanguage } from '../i18n/messages.js';

/**
 * Settings stored in the database (SPEC section 4): the deadlines' periods,
 * the time zone, local holidays, the due-soon window and the organisation's
 * name for printouts. Each key has a default, a parser that validates what a
 * person types, and a printer.
 */
export interface Settings extends DeadlineSettings, ContactSettings, DocumentSettings, MailSettings {
  readonly dueSoonDays: number;
  readonly organisationName: string;
  /** The register's floor (YYYY-MM-DD, office time): no receipt before it (SPEC 3.4). */
  readonly earliestReceipt: string;
  /** What urp speaks to every process on this register, below --lang and URP_LANG (issue 16); null: the account's locale. */
  readonly language: string | null;
}

/** How citizens reach the office: printed on letters and messages. Empty when not set. */
export interface ContactSettings {
  /** Postal address, line breaks kept. */
  readonly organisationAddress: string;
  readonly urpPhone: string;
  readonly urpEmail: string;
  /** Office hours, as free text ("lun-ven 9-12, gio 15-17"). */
  readonly urpHours: string;
}

/** The reply letter's letterhead and signature, and the review's targets (issue 15). */
export interface DocumentSettings {
  /** Absolute path of a PNG or JPEG, or empty. */
  readonly letterheadLogo: string;
  /** Who signs, line breaks kept ("Il Responsabile dell'URP\nDott.ssa Anna Neri"). */
  readonly letterSignatory: string;
  readonly letterFooter: string;
  /** The place before the letter's date; empty: taken from the organisation's name ("Comune di Valdoria": Valdoria). */
  readonly letterPlace: string;
  /** Percentages and days the management review compares the results with. */
  readonly targetOnTimeReply: number;
  readonly targetOnTimeAssign: number;
  readonly targetMedianReplyDays: number;
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
}

export const DEFAULT_SETTINGS: Settings = {
  assignHours: 48,
  replyDays: 30,
  timeZone: DEFAULT_TIME_ZONE,
  localHolidays: [],
  dueSoonDays: 5,
  organisationName: 'Comune',
  earliestReceipt: '1990-01-01',
  language: null,
  organisationAddress: '',
  urpPhone: '',
  urpEmail: '',
  urpHours: '',
  letterheadLogo: '',
  letterSignatory: '',
  letterFooter: '',
  letterPlace: '',
  targetOnTimeReply: 90,
  targetOnTimeAssign: 90,
  targetMedianReplyDays: 20,
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
};

type SettingName = keyof Settings;

interface SettingDefinition<Name extends SettingName> {
  readonly name: Name;
  /** Turns typed text into a value, or throws an InputError saying what is expected. */
  parse(text: string): Settings[Name];
}

type NumberName = { [Name in SettingName]: Settings[Name] extends number ? Name : never }[SettingName];
type TextName = { [Name in SettingName]: Settings[Name] extends string ? Name : never }[SettingName];

function integerSetting<Name extends NumberName>(name: Name, min: number, max: number) {
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

/** What clears an optional setting (typed on any shell, unlike an empty value). */
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

  // Contact settings (shared with the e-mail messages: same keys, same rules).
  'organisation-address': textSetting('organisationAddress', 500, true),
  'urp-phone': textSetting('urpPhone', 200, false),
  'urp-email': textSetting('urpEmail', 200, false),
  'urp-hours': textSetting('urpHours', 200, false),

  // The reply letter and the review (issue 15).
  'letterhead-logo': {
    name: 'letterheadLogo',
    parse: parseLogoPath,
  } as SettingDefinition<'letterheadLogo'>,
  'letter-signatory': textSetting('letterSignatory', 300, true),
  'letter-footer': textSetting('letterFooter', 500, true),
  'letter-place': textSetting('letterPlace', 100, false),
  'target-on-time-reply': integerSetting('targetOnTimeReply', 0, 100),
  'target-on-time-assign': integerSetting('targetOnTimeAssign', 0, 100),
  'target-median-reply-days': integerSetting('targetMedianReplyDays', 1, 365),
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
  // The desk (issue 16): the language of every process on this register.
  language: optionalSetting('language', (text) => {
    const code = text.trim().toLowerCase();
    if (!LANGUAGE_CODE.test(code) || !hasLanguage(code)) throw new InputError('config.interfaceLanguageExpected', { value: echo(text) }, 'value');
    return code;
  }),
} as const;

/** Words that clear an optional text setting (an empty value cannot be typed on every shell). */

/**
 * Free text printed on letters and messages: at most `limit` characters and
 * no control characters (a terminal would obey them), line breaks allowed
 * where the text is a block (an address, a signature). `none` clears it.
 */
function textSetting<Name extends TextName>(name: Name, limit: number, multiline: boolean) {
  return {
    name,
    parse(text: string) {
      const value = text.replace(/\r\n?/g, '\n').trim();
      if (CLEARED.includes(value.toLowerCase())) return '';
      const forbidden = multiline ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/ : /[\u0000-\u001f\u007f-\u009f]/;
      if (value.length > limit || forbidden.test(value)) {
        throw new InputError(multiline ? 'config.blockExpected' : 'config.textExpected', { key: keyOf(name), limit }, 'value');
      }
      return multiline ? value.split('\n').map((line) => line.trim()).join('\n') : value;
    },
  } as SettingDefinition<Name>;
}

/**
 * The letterhead's logo: checked when set, so that a letter does not fail
 * later. The file must exist, be readable, and be a PNG or a JPEG by its
 * first bytes (not by its name). Stored as an absolute path.
 */
function parseLogoPath(text: string): string {
  const given = text.trim();
  if (CLEARED.includes(given.toLowerCase())) return '';
  const path = resolve(given);
  const head = Buffer.alloc(8);
  let read = 0;
  try {
    const descriptor = openSync(path, 'r');
    try {
      read = readSync(descriptor, head, 0, 8, 0);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    throw new InputError('config.logoUnreadable', { path }, 'value');
  }
  if (!isPng(head.subarray(0, read)) && !isJpeg(head.subarray(0, read))) throw new InputError('config.logoNotImage', { path }, 'value');
  return path;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, index) => bytes[index] === byte);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

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
