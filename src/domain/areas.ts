import type { Kysely } from 'kysely';
import type { AreaRow, Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { validEmailAddress } from './contacts.js';
import { InputError } from './errors.js';
import { findAreaRow } from './area-lookup.js';
import { authorize } from './operators.js';

export { findAreaRow };
import { TEXT_LIMITS, limitedText, normaliseCode, optionalText, requiredText } from './text-fields.js';

/** An organisational unit of the municipality, with its manager (responsabile). */
export interface Area {
  readonly code: string;
  readonly name: string;
  readonly manager: string | null;
  readonly email: string | null;
  readonly active: boolean;
}

export interface AreaInput {
  readonly code: string;
  readonly name: string;
  readonly manager?: string | undefined;
  readonly email?: string | undefined;
}

export interface AreaChanges {
  readonly name?: string | undefined;
  readonly manager?: string | undefined;
  readonly email?: string | undefined;
  readonly active?: boolean | undefined;
}

export function toArea(row: AreaRow): Area {
  return { code: row.code, name: row.name, manager: row.manager, email: row.email, active: row.active === 1 };
}

function validEmail(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  const text = optionalText(value);
  if (text === undefined) return null;
  return validEmailAddress(text, 'email');
}

function validManager(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  const text = optionalText(value);
  return text === undefined ? null : limitedText('manager', text, TEXT_LIMITS.name);
}

export async function addArea(db: Kysely<Database>, actor: Actor, input: AreaInput): Promise<Area> {
  await authorize(db, actor, 'manage');
  const code = normaliseCode('code', input.code);
  const name = requiredText('name', input.name, TEXT_LIMITS.name);
  const existing = await db.selectFrom('areas').select('code').where('code', '=', code).executeTakeFirst();
  if (existing) throw new InputError('area.exists', { code }, 'code');
  const now = actor.now.toISOString();
  const row = await db
    .insertInto('areas')
    .values({
      code,
      name,
      manager: validManager(input.manager) ?? null,
      email: validEmail(input.email) ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, 'area_added', `area:${code}`);
  return toArea(row);
}

export async function listAreas(db: Kysely<Database>, { includeDisabled = true } = {}): Promise<Area[]> {
  let query = db.selectFrom('areas').selectAll().orderBy('code');
  if (!includeDisabled) query = query.where('active', '=', 1);
  return (await query.execute()).map(toArea);
}

export async function updateArea(db: Kysely<Database>, actor: Actor, code: string, changes: AreaChanges): Promise<Area> {
  await authorize(db, actor, 'manage');
  const row = await findAreaRow(db, code, { field: 'code' });
  const values = {
    ...(changes.name !== undefined && { name: requiredText('name', changes.name, TEXT_LIMITS.name) }),
    ...(changes.manager !== undefined && { manager: validManager(changes.manager) }),
    ...(changes.email !== undefined && { email: validEmail(changes.email) }),
    ...(changes.active !== undefined && { active: changes.active ? 1 : 0 }),
  };
  if (Object.keys(values).length === 0) throw new InputError('update.nothing');
  const updated = await db
    .updateTable('areas')
    .set({ ...values, updated_at: actor.now.toISOString() })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const kind = changes.active === false ? 'area_disabled' : changes.active === true ? 'area_enabled' : 'area_updated';
  await recordAudit(db, actor, kind, `area:${row.code}`, Object.keys(values).join(','));
  return toArea(updated);
}
