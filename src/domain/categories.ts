import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { findAreaRow } from './areas.js';
import { recordAudit } from './audit.js';
import { InputError, echo } from './errors.js';
import { authorize } from './operators.js';
import { TEXT_LIMITS, normaliseCode, optionalText, requiredText } from './text-fields.js';

/** A kind of problem (roads, public lighting, waste...) and the area that usually handles it. */
export interface Category {
  readonly code: string;
  readonly name: string;
  readonly area: string | null;
  readonly active: boolean;
}

export interface CategoryRecord extends Category {
  readonly id: number;
  readonly areaId: number | null;
}

export interface CategoryInput {
  readonly code: string;
  readonly name: string;
  readonly area?: string | undefined;
}

export interface CategoryChanges {
  readonly name?: string | undefined;
  /** An area code; empty removes the default area. */
  readonly area?: string | undefined;
  readonly active?: boolean | undefined;
}

function categoryQuery(db: Kysely<Database>) {
  return db
    .selectFrom('categories')
    .leftJoin('areas', 'areas.id', 'categories.area_id')
    .select([
      'categories.id',
      'categories.code',
      'categories.name',
      'categories.active',
      'categories.area_id',
      'areas.code as area_code',
    ]);
}

type CategoryQueryRow = Awaited<ReturnType<ReturnType<typeof categoryQuery>['executeTakeFirstOrThrow']>>;

function toCategory(row: CategoryQueryRow): CategoryRecord {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    area: row.area_code,
    areaId: row.area_id,
    active: row.active === 1,
  };
}

async function defaultAreaId(db: Kysely<Database>, area: string | undefined): Promise<number | null | undefined> {
  if (area === undefined) return undefined;
  const text = optionalText(area);
  return text === undefined ? null : (await findAreaRow(db, text)).id;
}

export async function addCategory(db: Kysely<Database>, actor: Actor, input: CategoryInput): Promise<Category> {
  await authorize(db, actor, 'manage');
  const code = normaliseCode('code', input.code);
  const name = requiredText('name', input.name, TEXT_LIMITS.name);
  const areaId = await defaultAreaId(db, input.area);
  if (await db.selectFrom('categories').select('id').where('code', '=', code).executeTakeFirst()) {
    throw new InputError('category.exists', { code }, 'code');
  }
  const now = actor.now.toISOString();
  await db
    .insertInto('categories')
    .values({ code, name, area_id: areaId ?? null, created_at: now, updated_at: now })
    .execute();
  await recordAudit(db, actor, 'category_added', `category:${code}`);
  return findCategory(db, code);
}

export async function listCategories(db: Kysely<Database>): Promise<CategoryRecord[]> {
  return (await categoryQuery(db).orderBy('categories.code').execute()).map(toCategory);
}

/** The category with this code (or exact name), or an InputError for `field`. */
export async function findCategory(
  db: Kysely<Database>,
  text: string,
  { field = 'category', mustBeActive = false } = {},
): Promise<CategoryRecord> {
  const wanted = text.trim().toLowerCase();
  const row = await categoryQuery(db)
    .where((eb) => eb.or([eb('categories.code', '=', wanted), eb(eb.fn('lower', ['categories.name']), '=', wanted)]))
    .executeTakeFirst();
  if (!row) throw new InputError('category.unknown', { value: echo(text) }, field);
  if (mustBeActive && row.active !== 1) throw new InputError('category.disabled', { code: row.code }, field);
  return toCategory(row);
}

export async function updateCategory(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
  changes: CategoryChanges,
): Promise<Category> {
  await authorize(db, actor, 'manage');
  const category = await findCategory(db, code, { field: 'code' });
  const areaId = await defaultAreaId(db, changes.area);
  const values = {
    ...(changes.name !== undefined && { name: requiredText('name', changes.name, TEXT_LIMITS.name) }),
    ...(areaId !== undefined && { area_id: areaId }),
    ...(changes.active !== undefined && { active: changes.active ? 1 : 0 }),
  };
  if (Object.keys(values).length === 0) throw new InputError('update.nothing');
  await db
    .updateTable('categories')
    .set({ ...values, updated_at: actor.now.toISOString() })
    .where('id', '=', category.id)
    .execute();
  await recordAudit(db, actor, 'category_updated', `category:${category.code}`, Object.keys(values).join(','));
  return findCategory(db, category.code);
}
