import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Actor } from './actor.js';
import { findAreaRow } from './area-lookup.js';
import { recordAudit } from './audit.js';
import { echo, InputError } from './errors.js';
import { TEXT_LIMITS, optionalText } from './text-fields.js';
import { type Role, roles } from './vocabulary.js';

/**
 * Operators and what their role lets them do (issue 3, item 5). While no
 * operator is defined the tool runs open, as a one-clerk office does; once
 * any is, every writing command needs a known, active operator whose role
 * grants the permission (area operators only on their own areas' reports).
 */
export type Permission =
  | 'register'
  | 'assign'
  | 'close'
  | 'reject'
  | 'reopen'
  | 'import'
  | 'citizens'
  | 'acknowledge'
  | 'return'
  | 'suspend'
  | 'resume'
  | 'reply'
  | 'note'
  | 'manage'
  | 'erase'
  | 'read';

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    'register', 'assign', 'close', 'reject', 'reopen', 'import', 'citizens',
    'acknowledge', 'return', 'suspend', 'resume', 'reply', 'note', 'manage', 'erase', 'read',
  ]),
  urp: new Set<Permission>(['register', 'assign', 'close', 'reject', 'reopen', 'import', 'citizens', 'note', 'read']),
  area: new Set<Permission>(['acknowledge', 'return', 'suspend', 'resume', 'reply', 'note', 'read']),
};

/** Permissions that an area operator holds only for reports of their own areas. */
const AREA_BOUND: ReadonlySet<Permission> = new Set(['acknowledge', 'return', 'suspend', 'resume', 'reply', 'note', 'read']);

export interface Operator {
  readonly name: string;
  readonly fullName: string | null;
  readonly role: Role;
  /** The operating-system account that acts as this operator. */
  readonly osUser: string | null;
  readonly areas: string[];
  readonly active: boolean;
}

/** True while no operator has ever been defined: everybody may do everything. */
export async function isOpenAccess(db: Kysely<Database>): Promise<boolean> {
  return !(await db.selectFrom('operators').select('id').limit(1).executeTakeFirst());
}

/**
 * Who is acting (issue 10): the operating-system account, bound to an
 * operator. An admin may name another operator (--operator), and then acts
 * with that operator's role, recorded as "admin for operator". While no
 * operator is defined the register is in open access: the account, or the
 * name it gives, acts with every permission.
 */
export type Identity =
  | { readonly kind: 'open'; readonly account: string; readonly operator: string; readonly enteredBy: string | null }
  | {
      readonly kind: 'operator';
      readonly account: string;
      readonly operator: string;
      readonly enteredBy: string | null;
      readonly role: Role;
      readonly areaIds: readonly number[];
    }
  /** The account is no operator (or a disabled one): it may only ask for help, the version and `db status`. */
  | { readonly kind: 'unknown'; readonly account: string; readonly disabled: boolean };

export async function resolveIdentity(db: Kysely<Database>, account: string, requested: string | undefined): Promise<Identity> {
  const named = requested?.trim() || undefined;
  if (await isOpenAccess(db)) {
    return { kind: 'open', account, operator: named ?? account, enteredBy: named && named !== account ? account : null };
  }
  const bound = await db.selectFrom('operators').select(['id', 'name', 'role', 'active']).where('os_user', '=', account).executeTakeFirst();
  if (!bound || bound.active !== 1) return { kind: 'unknown', account, disabled: bound !== undefined };
  let acting = bound;
  if (named && named !== bound.name) {
    if (bound.role !== 'admin') throw new InputError('identity.onlyAdminActsForOthers', { operator: bound.name }, 'operator');
    const other = await db.selectFrom('operators').select(['id', 'name', 'role', 'active']).where('name', '=', named).executeTakeFirst();
    if (!other) throw new InputError('permission.unknownOperator', { operator: echo(named) }, 'operator');
    if (other.active !== 1) throw new InputError('permission.disabledOperator', { operator: other.name }, 'operator');
    acting = other;
  }
  const areas = await db.selectFrom('operator_areas').select('area_id').where('operator_id', '=', acting.id).execute();
  return {
    kind: 'operator',
    account,
    operator: acting.name,
    enteredBy: acting.id === bound.id ? null : bound.name,
    role: acting.role,
    areaIds: areas.map((area) => area.area_id),
  };
}

/** The acting operator's role and areas, or undefined when the tool runs open. */
export async function actingOperator(db: Kysely<Database>, actor: Actor): Promise<{ role: Role; areaIds: readonly number[] } | undefined> {
  // Resolved from the account by the command line.
  if (actor.access) return actor.access.open ? undefined : actor.access;
  if (await isOpenAccess(db)) return undefined;
  const row = await db.selectFrom('operators').select(['id', 'role', 'active']).where('name', '=', actor.operator).executeTakeFirst();
  if (!row) throw new InputError('permission.unknownOperator', { operator: actor.operator });
  if (row.active !== 1) throw new InputError('permission.disabledOperator', { operator: actor.operator });
  const areas = await db.selectFrom('operator_areas').select('area_id').where('operator_id', '=', row.id).execute();
  return { role: row.role, areaIds: areas.map((area) => area.area_id) };
}

/**
 * Refuses (InputError, exit 2, naming the missing permission) unless the
 * actor may do this; `areaId` is the report's area for area-bound actions.
 */
export async function authorize(db: Kysely<Database>, actor: Actor, permission: Permission, areaId?: number | null): Promise<void> {
  const operator = await actingOperator(db, actor);
  if (!operator) return;
  if (!ROLE_PERMISSIONS[operator.role].has(permission)) {
    throw new InputError('permission.denied', { operator: actor.operator, role: operator.role, permission });
  }
  if (operator.role === 'area' && AREA_BOUND.has(permission) && (areaId == null || !operator.areaIds.includes(areaId))) {
    throw new InputError('permission.notYourArea', { operator: actor.operator, permission });
  }
}

export interface OperatorInput {
  readonly name: string;
  readonly role: string;
  readonly fullName?: string | undefined;
  readonly areas?: readonly string[] | undefined;
  /** The operating-system account (default: the same as the name). */
  readonly osUser?: string | undefined;
}

/** Operator names and accounts: what a Unix login or a PostgreSQL role may be called. */
function operatorName(text: string, field = 'name'): string {
  const name = text.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) throw new InputError('operator.nameFormat', {}, field);
  return name;
}

export async function listOperators(db: Kysely<Database>): Promise<Operator[]> {
  const rows = await db.selectFrom('operators').selectAll().orderBy('name').execute();
  const links = await db
    .selectFrom('operator_areas')
    .innerJoin('areas', 'areas.id', 'operator_areas.area_id')
    .select(['operator_areas.operator_id', 'areas.code'])
    .orderBy('areas.code')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    fullName: row.full_name,
    role: row.role,
    osUser: row.os_user,
    areas: links.filter((link) => link.operator_id === row.id).map((link) => link.code),
    active: row.active === 1,
  }));
}

/**
 * Adds an operator, bound to an operating-system account. The first one
 * ends open access: it must be an admin (otherwise nobody could manage
 * operators afterwards) bound to the account defining it (otherwise that
 * person would lock themselves out). Later ones need the `manage` permission.
 */
export async function addOperator(db: Kysely<Database>, actor: Actor, input: OperatorInput, currentAccount: string): Promise<Operator> {
  const name = operatorName(input.name);
  const osUser = operatorName(input.osUser ?? name, 'osUser');
  const role = roles.parse(input.role);
  if (!role) throw new InputError('operator.roleUnknown', { value: echo(input.role) }, 'role');
  if (await isOpenAccess(db)) {
    if (role !== 'admin') throw new InputError('operator.firstMustBeAdmin', {}, 'role');
    if (osUser !== currentAccount) throw new InputError('operator.firstMustBeYou', { account: currentAccount }, 'osUser');
  } else await authorize(db, actor, 'manage');
  if (await db.selectFrom('operators').select('id').where('name', '=', name).executeTakeFirst()) {
    throw new InputError('operator.exists', { name }, 'name');
  }
  const sameAccount = await db.selectFrom('operators').select('name').where('os_user', '=', osUser).executeTakeFirst();
  if (sameAccount) throw new InputError('operator.accountTaken', { account: osUser, name: sameAccount.name }, 'osUser');
  const areaIds: number[] = [];
  for (const area of input.areas ?? []) areaIds.push((await findAreaRow(db, area)).id);
  if (role === 'area' && areaIds.length === 0) throw new InputError('operator.areaRequired', {}, 'area');
  if (role !== 'area' && areaIds.length > 0) throw new InputError('operator.areaOnlyForArea', {}, 'area');
  const fullName = optionalText(input.fullName);
  if (fullName && fullName.length > TEXT_LIMITS.name) throw new InputError('field.tooLong', { limit: TEXT_LIMITS.name, length: fullName.length }, 'fullName');
  const now = actor.now.toISOString();
  const { id } = await db
    .insertInto('operators')
    .values({ name, full_name: fullName ?? null, role, os_user: osUser, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const areaId of areaIds) await db.insertInto('operator_areas').values({ operator_id: id, area_id: areaId }).execute();
  await recordAudit(db, actor, 'operator_added', `operator:${name}`, `${role} account ${osUser}`);
  return (await listOperators(db)).find((operator) => operator.name === name)!;
}

export async function disableOperator(db: Kysely<Database>, actor: Actor, nameText: string): Promise<void> {
  await authorize(db, actor, 'manage');
  const row = await db.selectFrom('operators').select(['id', 'role']).where('name', '=', nameText.trim()).executeTakeFirst();
  if (!row) throw new InputError('operator.unknown', { name: nameText.trim().slice(0, 64) }, 'name');
  if (row.role === 'admin') {
    const admins = await db.selectFrom('operators').select('id').where('role', '=', 'admin').where('active', '=', 1).execute();
    if (admins.length === 1 && admins[0]!.id === row.id) throw new InputError('operator.lastAdmin');
  }
  await db.updateTable('operators').set({ active: 0, updated_at: actor.now.toISOString() }).where('id', '=', row.id).execute();
  await recordAudit(db, actor, 'operator_disabled', `operator:${nameText.trim()}`);
}

/**
 * Changes an operator (admin only): the account bound to it (a register
 * upgraded from a version where operators were names, not logins), the
 * full name, or makes a disabled one active again.
 */
export async function updateOperator(
  db: Kysely<Database>,
  actor: Actor,
  nameText: string,
  changes: { readonly osUser?: string | undefined; readonly fullName?: string | undefined; readonly enable?: boolean | undefined },
): Promise<void> {
  await authorize(db, actor, 'manage');
  const name = nameText.trim();
  const row = await db.selectFrom('operators').select(['id']).where('name', '=', name).executeTakeFirst();
  if (!row) throw new InputError('operator.unknown', { name: name.slice(0, 64) }, 'name');
  const osUser = changes.osUser === undefined ? undefined : operatorName(changes.osUser, 'osUser');
  if (osUser !== undefined) {
    const other = await db.selectFrom('operators').select('name').where('os_user', '=', osUser).where('id', '!=', row.id).executeTakeFirst();
    if (other) throw new InputError('operator.accountTaken', { account: osUser, name: other.name }, 'osUser');
  }
  const fullName = changes.fullName === undefined ? undefined : (optionalText(changes.fullName) ?? null);
  if (fullName && fullName.length > TEXT_LIMITS.name) throw new InputError('field.tooLong', { limit: TEXT_LIMITS.name, length: fullName.length }, 'fullName');
  if (osUser === undefined && fullName === undefined && !changes.enable) throw new InputError('update.nothing');
  await db
    .updateTable('operators')
    .set({
      ...(osUser !== undefined && { os_user: osUser }),
      ...(fullName !== undefined && { full_name: fullName }),
      ...(changes.enable && { active: 1 }),
      updated_at: actor.now.toISOString(),
    })
    .where('id', '=', row.id)
    .execute();
  const changed = [osUser !== undefined && `account ${osUser}`, fullName !== undefined && 'full name', changes.enable && 'enabled'].filter(Boolean).join(', ');
  await recordAudit(db, actor, 'operator_updated', `operator:${name}`, changed);
}

/** The roles that hold a permission (the help on statuses says who does each step). */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) => ROLE_PERMISSIONS[role].has(permission));
}
