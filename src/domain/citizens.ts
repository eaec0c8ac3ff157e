import type { Kysely } from 'kysely';
import { likeContains } from '../storage/like.js';
import { writeTransaction } from '../storage/transactions.js';
import type { CitizenRow, Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { findStoredEmailAsync, normaliseEmail, normalisePhone, validEmailAddress, validPhoneNumber } from './contacts.js';
import { InputError } from './errors.js';
import { authorize } from './operators.js';
import { normaliseTaxCode, taxCodeProblem } from './tax-code.js';
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
}

/** A validated, normalised citizen, ready to store or to match. */
export interface CitizenData {
  readonly firstName: string;
  readonly lastName: string;
  readonly taxCode: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: string | null;
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

export function validEmail(text: string | undefined): string | null {
  const given = optionalText(text);
  if (given === undefined) return null;
  return validEmailAddress(given, 'email');
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
  };
  if (!data.email && !data.phone && !data.address) throw new InputError('citizen.contactMissing', {}, 'contact');
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
 * The e-mail as stored for a citizen, equal to this one but for the case of
 * its local part (citizens.email's index, read by a skip scan), or undefined.
 */
export function storedCitizenEmail(db: Kysely<Database>, email: string): Promise<string | undefined> {
  return findStoredEmailAsync(email, async (from) => {
    const row = await db.selectFrom('citizens').select('email').where('email', '>=', from).orderBy('email').limit(1).executeTakeFirst();
    return row?.email ?? undefined;
  });
}

/** Refuses a second citizen with the same tax code or e-mail (whatever its case), naming the existing one (by number only). */
async function refuseDuplicates(db: Kysely<Database>, data: Pick<CitizenData, 'taxCode' | 'email'>, exceptId?: number) {
  for (const field of ['taxCode', 'email'] as const) {
    const value = field === 'email' && data.email ? await storedCitizenEmail(db, data.email) : data[field];
    if (!value) continue;
    let query = db
      .selectFrom('citizens')
      .select('id')
      .where(field === 'taxCode' ? 'tax_code' : 'email', '=', value);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    const existing = await query.executeTakeFirst();
    if (existing) throw new InputError(`citizen.duplicate.${field}`, { id: existing.id }, field);
  }
}

/** Stores an already validated citizen. */
export async function insertCitizen(db: Kysely<Database>, actor: Actor, data: CitizenData): Promise<Citizen> {
  await refuseDuplicates(db, data);
  const now = actor.now.toISOString();
  const row = await db
    .insertInto('citizens')
    .values({
      first_name: data.firstName,
      last_name: data.lastName,
      tax_code: data.taxCode,
      email: data.email,
      phone: data.phone,
      address: data.address,
      search_name: citizenSearchName(data.firstName, data.lastName),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCitizen(row);
}

export async function addCitizen(db: Kysely<Database>, actor: Actor, input: CitizenInput): Promise<Citizen> {
  await authorize(db, actor, 'citizens');
  const data = validateCitizen(input);
  return writeTransaction(db, async (trx) => {
    // The same name and phone is the same person (the rule report new and import follow), unless tax codes tell them apart.
    const samePerson = data.phone ? await matchCitizen(trx, { ...data, email: null }) : undefined;
    if (samePerson && !(data.taxCode && samePerson.taxCode === data.taxCode)) throw new InputError('citizen.duplicate.phone', { id: samePerson.id }, 'phone');
    return insertCitizen(trx, actor, data);
  });
}

/**
 * The citizen these details identify, if already registered: same tax code,
 * else same e-mail, else same phone and same name (a family shares a phone,
 * and often a surname: Luca Bianchi is not Anna Bianchi).
 */
export async function matchCitizen(db: Kysely<Database>, data: CitizenData): Promise<Citizen | undefined> {
  const base = db.selectFrom('citizens').selectAll().where('erased_at', 'is', null);
  let row: CitizenRow | undefined;
  if (data.taxCode) row = await base.where('tax_code', '=', data.taxCode).executeTakeFirst();
  if (!row && data.email) {
    const stored = await storedCitizenEmail(db, data.email);
    if (stored) row = await base.where('email', '=', stored).executeTakeFirst();
  }
  if (!row && data.phone) {
    let samePhone = base.where('phone', '=', data.phone).where('search_name', '=', citizenSearchName(data.firstName, data.lastName));
    // Two different tax codes are two people (a father and his son of the same name).
    if (data.taxCode) samePhone = samePhone.where('tax_code', 'is', null);
    row = await samePhone.executeTakeFirst();
  }
  return row && toCitizen(row);
}

/**
 * Citizens matching a text: a tax code, an e-mail, a phone number, or parts
 * of a name in any order ("rossi mario", "mar ros"). Erased citizens are not found.
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
  if (email) query = query.where(likeContains('email', email));
  else if (phone) query = query.where('phone', '=', phone);
  else if (phoneDigits.length >= 3) query = query.where(likeContains('phone', phoneDigits));
  else if (taxCode && !taxCodeProblem(taxCode)) query = query.where('tax_code', '=', taxCode);
  else {
    // Parts of the name in any order, or part of the e-mail ("anna.bianchi").
    const words = searchable(trimmed).split(' ');
    query = query.where((eb) => eb.or([eb.and(words.map((word) => likeContains('search_name', word))), likeContains('email', trimmed.toLowerCase())]));
  }
  const rows = await query.orderBy('search_name').orderBy('id').limit(limit).execute();
  return rows.map(toCitizen);
}

export async function updateCitizen(db: Kysely<Database>, actor: Actor, id: number, changes: CitizenInput): Promise<Citizen> {
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
