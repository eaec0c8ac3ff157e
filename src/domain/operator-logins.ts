import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { findAreaRow } from './areas.js';
import { recordAudit } from './audit.js';
import { InputError } from './errors.js';
import { type Operator, addOperator, authorize, listOperators } from './operators.js';
import { type Role, roles } from './vocabulary.js';

/**
 * On PostgreSQL each clerk connects with a login of their own, and the
 * operator is that login (issue 13): `urp db grant <login> --role R` binds
 * an operator of the same name to it, creating it (the first one, as
 * `operator add` requires, an admin bound to whoever runs it) or changing
 * its role and areas. The database roles themselves are storage's
 * (src/storage/postgres-roles.ts), granted in the same transaction.
 */
export interface LoginInput {
  readonly login: string;
  readonly role: string;
  readonly areas?: readonly string[] | undefined;
  readonly fullName?: string | undefined;
}

export function loginRole(text: string): Role {
  const role = roles.parse(text);
  if (!role) throw new InputError('operator.roleUnknown', { value: text.slice(0, 20) }, 'role');
  return role;
}

/** Names a login may not have: the server's own (pg_*) and `public`. */
export function checkLoginName(login: string): string {
  const name = login.trim();
  if (/^pg_/i.test(name) || /^public$/i.test(name)) throw new InputError('grant.reservedName', { login: name.slice(0, 64) }, 'login');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$/.test(name)) throw new InputError('operator.nameFormat', {}, 'login');
  return name;
}

export async function bindLogin(db: Kysely<Database>, actor: Actor, input: LoginInput, currentAccount: string): Promise<Operator> {
  const login = checkLoginName(input.login);
  const role = loginRole(input.role);
  const bound = await db.selectFrom('operators').select(['id', 'name']).where('os_user', '=', login).executeTakeFirst();
  const named = bound ?? (await db.selectFrom('operators').select(['id', 'name']).where('name', '=', login).executeTakeFirst());
  if (!named) {
    return addOperator(db, actor, { name: login, role, fullName: input.fullName, areas: input.areas, osUser: login }, currentAccount);
  }
  await authorize(db, actor, 'manage');
  const current = await db.selectFrom('operators').select(['role', 'active']).where('id', '=', named.id).executeTakeFirstOrThrow();
  if (current.role === 'admin' && current.active === 1 && role !== 'admin') {
    const admins = await db.selectFrom('operators').select('id').where('role', '=', 'admin').where('active', '=', 1).execute();
    if (admins.length === 1) throw new InputError('operator.lastAdmin');
  }
  const areaIds: number[] = [];
  for (const area of input.areas ?? []) areaIds.push((await findAreaRow(db, area)).id);
  if (role === 'area' && areaIds.length === 0) throw new InputError('operator.areaRequired', {}, 'area');
  if (role !== 'area' && areaIds.length > 0) throw new InputError('operator.areaOnlyForArea', {}, 'area');
  const now = actor.now.toISOString();
  await db
    .updateTable('operators')
    .set({ role, os_user: login, active: 1, updated_at: now, ...(input.fullName !== undefined && { full_name: input.fullName.trim() || null }) })
    .where('id', '=', named.id)
    .execute();
  await db.deleteFrom('operator_areas').where('operator_id', '=', named.id).execute();
  for (const areaId of areaIds) await db.insertInto('operator_areas').values({ operator_id: named.id, area_id: areaId }).execute();
  await recordAudit(db, actor, 'operator_changed', `operator:${named.name}`, `${role} login ${login}`);
  return (await listOperators(db)).find((operator) => operator.name === named.name)!;
}
