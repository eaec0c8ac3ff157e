import type { Kysely } from 'kysely';
import type { AreaRow, Database } from '../storage/schema.js';
import { InputError, echo } from './errors.js';

/** The area with this code (or exact name), or an InputError for `field`. */
export async function findAreaRow(
  db: Kysely<Database>,
  text: string,
  { field = 'area', mustBeActive = false } = {},
): Promise<AreaRow> {
  const wanted = text.trim().toLowerCase();
  const row = await db
    .selectFrom('areas')
    .selectAll()
    .where((eb) => eb.or([eb('code', '=', wanted), eb(eb.fn('lower', ['name']), '=', wanted)]))
    .executeTakeFirst();
  if (!row) throw new InputError('area.unknown', { value: echo(text) }, field);
  if (mustBeActive && row.active !== 1) throw new InputError('area.disabled', { code: row.code }, field);
  return row;
}
