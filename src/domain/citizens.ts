import { type Kysely, sql } from 'kysely';
import { likeContains } from '../storage/like.js';
import { citizenContactMatchQuery, citizenMatches, citizenNameContains, citizenNameMatchQuery, citizensThroughIndexes, searchesThroughIndex } from '../storage/text-search.js';
import { writeTransaction } from '../storage/transactions.js';
import type { CitizenRow, Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { emailMatchKey, normaliseEmail, normalisePhone, validEmailAddress, validPhoneNumber } from './contacts.js';
import { InputError } from './errors.js';
import { authorize } from './operators.js';
import { normaliseTaxCode, taxCodeProblem } from './tax-code.js';
import { foldName } from '../text/fold.js';
import { TEXT_LIMITS, limitedText, optionalText, requiredText, searchable } from './text-fields.js';

/** A person who made at least one report. Stored once, reused for later reports. */
export interface Citizen {
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly taxCode: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  /** A PEC (certified e-mail) address (issue 14). */
  readonly pec: string | null;
  readonly createdAt: string;
  readonly erasedAt: string | null;
}

export interface CitizenInput {
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
  readonly taxCode?: string | undefined;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly address?: string | undefined;
  readonly pec?: string | undefined;
}

/** A validated, normalised citizen, ready to store or to match. */
export interface CitizenData {
  readonly firstName: string;
  readonly lastName: string;
  readonly taxCode: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
  readonly pec?: string | null;
}

export function toCitizen(row: CitizenRow): Citizen {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    taxCode: row.tax_code,
    email: row.email,
    phone: row.phone,
    address: row.address,
    pec: row.pec,
    createdAt: row.created_at,
    erasedAt: row.erased_at,
  };
}

export function validTaxCode(text: string | undefined): string | null {
  const given = optionalText(text);
  if (given === undefined) return null;
  const code = normaliseTaxCode(given);
  const problem = taxCodeProblem(code);
  // The code itself is personal data: the message says what is wrong, not what was typed.
  if (problem) throw new InputError(`taxCode.${problem}`, {}, 'taxCode');
  return code;
}

export function validEmail(text: string | undefined, field = 'email'): string | null {
  const given = optionalText(text);
  if (given === undefined) return null;
  return validEmailAddress(given, field);
}

export function validPhone(text: string | undefined): string | null {
  const given = optionalText(text);
  if (given === undefined) return null;
  return validPhoneNumber(given, 'phone');
}

function personName(field: string, text: string | undefined): string {
  return requiredText(field, text, TEXT_LIMITS.personName).replace(/\s+/g, ' ');
}

/**
 * Validates a citizen (SPEC 3.1: no anonymous reports): first and last name,
 * and at least one way to reach them. Returns the normalised data.
 */
export function validateCitizen(input: CitizenInput): CitizenData {
  if (!optionalText(input.firstName) && !optionalText(input.lastName)) {
    if (!optionalText(input.email) && !optionalText(input.phone) && !optionalText(input.address) && !optionalText(input.taxCode)) {
      throw new InputError('citizen.missing', {}, 'citizen');
    }
  }
  const data: CitizenData = {
    firstName: personName('firstName', input.firstName),
    lastName: personName('lastName', input.lastName),
    taxCode: validTaxCode(input.taxCode),
    email: validEmail(input.email),
    phone: validPhone(input.phone),
    address: optionalText(input.address) ? limitedText('address', optionalText(input.address)!, TEXT_LIMITS.address) : null,
    pec: validEmail(input.pec, 'pec'),
  };
  if (!data.email && !data.phone && !data.address && !data.pec) throw new InputError('citizen.contactMissing', {}, 'contact');
  return data;
}

export function citizenSearchName(firstName: string, lastName: string): string {
  return searchable(`${lastName} ${firstName}`);
}

async function rowById(db: Kysely<Database>, id: number): Promise<CitizenRow | undefined> {
  return db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getCitizen(db: Kysely<Database>, id: number, field = 'citizen'): Promise<Citizen> {
  const row = Number.isSafeInteger(id) ? await rowById(db, id) : undefined;
  if (!row) throw new InputError('citizen.unknown', { id: String(id) }, field);
  return toCitizen(row);
}

/**
 * Refuses a second citizen with the same tax code or e-mail, and a phone that
 * is another person's, naming the existing one (by number only).
 */
async function refuseDuplicates(db: Kysely<Database>, data: CitizenData, exceptId?: number) {
  if (data.phone) {
    const holders = await db.selectFrom('citizens').selectAll().where('phone', '=', data.phone).where('erased_at', 'is', null).where('id', '!=', exceptId ?? -1).execute();
    const other = holders.map(toCitizen).find((citizen) => !sameName(citizen, data));
    if (other) throw new InputError('citizen.belongsTo.phone', { id: other.id }, 'phone');
  }
  for (const field of ['taxCode', 'email'] as const) {
    const value = data[field];
    if (!value) continue;
    let query = db
      .selectFrom('citizens')
      .select('id')
      .where(field === 'taxCode' ? sql.ref('tax_code') : EMAIL_KEY, '=', field === 'taxCode' ? value : emailMatchKey(value));
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    const existing = await query.executeTakeFirst();
    if (existing) throw new InputError(`citizen.duplicate.${field}`, { id: existing.id }, field);
  }
}

/** Stores an already validated citizen. */
export async function insertCitizen(db: Kysely<Database>, actor: Actor, data: CitizenData): Promise<Citizen> {
  await refuseDuplicates(db, data);
  const row = await db.insertInto('citizens').values(citizenRow(data, actor.now)).returningAll().executeTakeFirstOrThrow();
  return toCitizen(row);
}

/** The row of a new citizen (the one shape `citizen add`, `report new` and the import write). */
export function citizenRow(data: CitizenData, now: Date) {
  const at = now.toISOString();
  return {
    first_name: data.firstName,
    last_name: data.lastName,
    tax_code: data.taxCode,
    email: data.email,
    phone: data.phone,
    address: data.address,
    pec: data.pec ?? null,
    search_name: citizenSearchName(data.firstName, data.lastName),
    created_at: at,
    updated_at: at,
    erased_at: null,
  };
}

export async function addCitizen(db: Kysely<Database>, actor: Actor, input: CitizenInput): Promise<Citizen> {
  await authorize(db, actor, 'citizens');
  const data = validateCitizen(input);
  return writeTransaction(db, async (trx) => {
    // The rule report new and import follow: an existing person is named, a contact of another refused.
    const identified = await identifyCitizen(trx, data);
    if (identified.kind === 'existing') throw new InputError('citizen.alreadyRegistered', { id: identified.citizen.id });
    return insertCitizen(trx, actor, data);
  });
}

/**
 * How an e-mail is matched: its lower-case form (the local part is stored as
 * typed, the domain in lower-case punycode; contacts.ts emailMatchKey),
 * read through the index citizens_email_key (citizens_email_lower on PostgreSQL).
 */
export const EMAIL_KEY = sql<string>`lower(${sql.ref('email')})`;

/** The contacts and the tax code: what identifies a person besides the name. */
export const CONTACT_FIELDS = ['taxCode', 'email', 'pec', 'phone', 'address'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** The registered citizens that hold the given tax code, e-mail or phone (erased ones hold none). */
export interface CitizenCandidates {
  readonly byTaxCode?: Citizen | undefined;
  readonly byEmail?: Citizen | undefined;
  readonly byPec?: Citizen | undefined;
  readonly byPhone?: readonly Citizen[] | undefined;
}

export type CitizenIdentification =
  | { readonly kind: 'existing'; readonly citizen: Citizen; readonly additions: readonly ContactField[] }
  | { readonly kind: 'new' };

/** The same person by name: last and first name, case, accents and spaces aside. */
export function sameName(one: { firstName: string; lastName: string }, other: { firstName: string; lastName: string }): boolean {
  return citizenSearchName(one.firstName, one.lastName) === citizenSearchName(other.firstName, other.lastName);
}

/**
 * One citizen, one identity (SPEC 3.2, issue 10): who these details are.
 * A tax code, an e-mail or a phone already registered for a person of
 * another name is refused (naming that citizen by number only): the report
 * must not be filed under the wrong person, nor the contact given to two.
 * The same name with a matching tax code, e-mail or phone is that citizen;
 * the contacts they did not have yet are added. Two different tax codes are
 * two people (a father and his son of the same name sharing a phone).
 * Pure: the caller looks the candidates up (one query each for one report,
 * in batches for an import).
 */
export function decideCitizen(given: CitizenData, candidates: CitizenCandidates): CitizenIdentification {
  const conflict = (field: 'taxCode' | 'email' | 'pec' | 'phone', other: Citizen) => new InputError(`citizen.belongsTo.${field}`, { id: other.id }, field);
  const compatible = (citizen: Citizen) => !given.taxCode || !citizen.taxCode || citizen.taxCode === given.taxCode;
  let match: Citizen | undefined;
  const take = (field: 'taxCode' | 'email' | 'pec', citizen: Citizen | undefined) => {
    if (!citizen) return;
    if (!sameName(citizen, given) || !compatible(citizen)) throw conflict(field, citizen);
    if (match && match.id !== citizen.id) throw new InputError('citizen.twoPeople', { id: match.id, other: citizen.id }, field);
    match = citizen;
  };
  take('taxCode', candidates.byTaxCode);
  take('email', candidates.byEmail);
  take('pec', candidates.byPec);
  if (given.phone) {
    const holders = candidates.byPhone ?? [];
    const otherName = holders.find((citizen) => !sameName(citizen, given));
    if (otherName) throw conflict('phone', otherName);
    // Same name, same phone, no tax code telling them apart: the same person.
    if (!match) match = holders.find(compatible);
  }
  if (!match) return { kind: 'new' };
  const found = match;
  const additions = CONTACT_FIELDS.filter((field) => given[field] && !found[field]);
  return { kind: 'existing', citizen: found, additions };
}

/** Looks up the candidates for these details and decides who they are (decideCitizen). */
export async function identifyCitizen(db: Kysely<Database>, given: CitizenData): Promise<CitizenIdentification> {
  const base = db.selectFrom('citizens').selectAll().where('erased_at', 'is', null);
  const one = async (column: 'tax_code' | 'email' | 'pec', value: string | null | undefined) => {
    // E-mails match whatever the case of their local part (as typed in one, stored in the other).
    const row = !value ? undefined : column === 'email' ? await base.where(EMAIL_KEY, '=', emailMatchKey(value)).executeTakeFirst() : await base.where(column, '=', value).executeTakeFirst();
    return row && toCitizen(row);
  };
  return decideCitizen(given, {
    byTaxCode: await one('tax_code', given.taxCode),
    byEmail: await one('email', given.email),
    byPec: await one('pec', given.pec),
    byPhone: given.phone ? (await base.where('phone', '=', given.phone).orderBy('id').execute()).map(toCitizen) : [],
  });
}

/** The registered (not erased) citizen who holds this e-mail or PEC address: a sender who wrote before. */
export async function citizenByAddress(db: Kysely<Database>, field: 'email' | 'pec', address: string): Promise<Citizen | undefined> {
  const row = await db.selectFrom('citizens').selectAll().where('erased_at', 'is', null).where(field, '=', address).executeTakeFirst();
  return row && toCitizen(row);
}

/**
 * Adds to a matched citizen the contacts they did not have (never replacing
 * one they have: a stored e-mail is not overwritten by a typo). Recorded in
 * the audit log by field name, without the values.
 */
export async function addContacts(db: Kysely<Database>, actor: Actor, citizen: Citizen, given: CitizenData, fields: readonly ContactField[]): Promise<Citizen> {
  if (fields.length === 0) return citizen;
  const column = { taxCode: 'tax_code', email: 'email', pec: 'pec', phone: 'phone', address: 'address' } as const;
  const row = await db
    .updateTable('citizens')
    .set({ ...Object.fromEntries(fields.map((field) => [column[field], given[field]])), updated_at: actor.now.toISOString() })
    .where('id', '=', citizen.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, 'citizen_updated', `citizen:${citizen.id}`, fields.join(','));
  return toCitizen(row);
}

/**
 * Citizens matching a text: a tax code, an e-mail, a phone number, or parts
 * of a name in any order ("rossi mario", "mar ros", "dangelo" for D'Angelo).
 * Erased citizens are not found. Parts of three characters or more are found
 * through the search index (storage/text-search.ts); shorter ones are then
 * checked on the citizens the longer ones found (or, alone, row by row).
 */
export async function findCitizens(db: Kysely<Database>, text: string, limit = 50): Promise<Citizen[]> {
  const trimmed = text.trim();
  if (!trimmed) throw new InputError('field.required', {}, 'searchText');
  let query = db.selectFrom('citizens').selectAll().where('erased_at', 'is', null);
  const email = trimmed.includes('@') ? normaliseEmail(trimmed) ?? trimmed.toLowerCase() : undefined;
  const phone = /^[+\d][\d\s./()-]{4,}$/.test(trimmed) ? normalisePhone(trimmed) : undefined;
  // Part of a phone number, as typed ("0331", "+39 333", "333 12"): its digits, anywhere in the stored one.
  const phoneDigits = /^[+\d][\d\s./()-]*$/.test(trimmed) ? trimmed.replace(/\D/g, '') : '';
  const taxCode = /^[A-Za-z0-9]{16}$/.test(trimmed) ? normaliseTaxCode(trimmed) : undefined;
  // PostgreSQL has no FTS5 index: the conditions read row by row, which its trigram indexes serve.
  const throughIndex = searchesThroughIndex(db);
  const indexed = (column: 'email' | 'phone', value: string) => {
    const match = throughIndex ? citizenContactMatchQuery(column, value) : undefined;
    return match ? citizenMatches(match) : citizensThroughIndexes(db, likeContains(column, value));
  };
  if (email) query = query.where(indexed('email', email));
  else if (phone) query = query.where('phone', '=', phone);
  else if (phoneDigits.length >= 3) query = query.where(indexed('phone', phoneDigits));
  else if (taxCode && !taxCodeProblem(taxCode)) query = query.where('tax_code', '=', taxCode);
  else {
    // Parts of the name in any order, or part of the e-mail ("anna.bianchi").
    const name = throughIndex ? citizenNameMatchQuery(trimmed) : undefined;
    if (name) {
      // One look into the index for both; the words too short for it are checked on what it found.
      const emailPart = citizenContactMatchQuery('email', trimmed.toLowerCase());
      query = query.where(citizenMatches(emailPart ? `(${name.query}) OR (${emailPart})` : name.query));
      if (name.shortWords.length > 0) {
        query = query.where((eb) => eb.or([eb.and(name.shortWords.map(citizenNameContains)), likeContains('email', trimmed.toLowerCase())]));
      }
    } else {
      // Only words of one or two characters (or none: punctuation alone), or PostgreSQL: read row by row.
      const words = foldName(trimmed).split(' ').filter(Boolean);
      const email = likeContains('email', trimmed.toLowerCase());
      query = query.where((eb) => citizensThroughIndexes(db, words.length > 0 ? eb.or([eb.and(words.map(citizenNameContains)), email]) : email));
    }
  }
  const rows = await query.orderBy('search_name').orderBy('id').limit(limit).execute();
  return rows.map(toCitizen);
}

export async function updateCitizen(db: Kysely<Database>, actor: Actor, id: number, changes: CitizenInput): Promise<Citizen> {
  return writeTransaction(db, (trx) => updateCitizenIn(trx, actor, id, changes));
}

async function updateCitizenIn(db: Kysely<Database>, actor: Actor, id: number, changes: CitizenInput): Promise<Citizen> {
  await authorize(db, actor, 'citizens');
  const current = await getCitizen(db, id, 'id');
  if (current.erasedAt) throw new InputError('citizen.erased', { id });
  const merged = validateCitizen({
    firstName: changes.firstName ?? current.firstName,
    lastName: changes.lastName ?? current.lastName,
    taxCode: changes.taxCode ?? current.taxCode ?? undefined,
    email: changes.email ?? current.email ?? undefined,
    phone: changes.phone ?? current.phone ?? undefined,
    address: changes.address ?? current.address ?? undefined,
    pec: changes.pec ?? current.pec ?? undefined,
  });
  if (Object.values(changes).every((value) => value === undefined)) throw new InputError('update.nothing');
  await refuseDuplicates(db, merged, id);
  const row = await db
    .updateTable('citizens')
    .set({
      first_name: merged.firstName,
      last_name: merged.lastName,
      tax_code: merged.taxCode,
      email: merged.email,
      phone: merged.phone,
      address: merged.address,
      pec: merged.pec ?? null,
      search_name: citizenSearchName(merged.firstName, merged.lastName),
      updated_at: actor.now.toISOString(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const changed = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
  await recordAudit(db, actor, 'citizen_updated', `citizen:${id}`, changed.join(','));
  return toCitizen(row);
}
