import type { Role } from '../domain/vocabulary.js';

/**
 * Who may run each command, and what it does to the register: the contract
 * README.md prints as its command × role table, and that one test walks
 * whole (tests/e2e/trust-permissions.test.ts).
 *
 * - `roles`: the roles allowed; `anyone` also lets an account that is no
 *   operator in (only `db status`: it says who you are and what to ask for).
 * - `store`: `read` commands open an existing register and work on
 *   read-only files and media (those that record a read of personal data
 *   in the audit log then refuse, saying why); `write` ones need an
 *   existing, writable register whose append-only guards are in place;
 *   only `create` (init) makes a new one.
 * - `areaScoped`: an area operator sees (and changes) only its own areas'
 *   reports there.
 *
 * Finer rules that depend on an option or on the report live with the
 * command or in the domain: `overdue --with-citizen` (admin, urp), `export`
 * by an area operator only as Open311 (no personal data), and every
 * workflow action on a report of another area.
 */
export interface CommandAccess {
  readonly roles: readonly Role[] | 'anyone';
  readonly store: 'read' | 'write' | 'create';
  readonly areaScoped?: boolean;
}

const ALL: readonly Role[] = ['admin', 'urp', 'area'];
const URP: readonly Role[] = ['admin', 'urp'];
const AREA: readonly Role[] = ['admin', 'area'];
const ADMIN: readonly Role[] = ['admin'];

const read = (roles: readonly Role[], areaScoped = false): CommandAccess => ({ roles, store: 'read', ...(areaScoped && { areaScoped }) });
const write = (roles: readonly Role[], areaScoped = false): CommandAccess => ({ roles, store: 'write', ...(areaScoped && { areaScoped }) });

export const COMMAND_ACCESS = {
  init: { roles: ADMIN, store: 'create' },
  menu: write(ALL, true),

  'area add': write(ADMIN),
  'area list': read(ALL),
  'area update': write(ADMIN),
  'area disable': write(ADMIN),
  'category add': write(ADMIN),
  'category list': read(ALL),
  'category update': write(ADMIN),
  'category disable': write(ADMIN),

  'citizen add': write(URP),
  'citizen find': read(URP),
  'citizen show': read(URP),
  'citizen update': write(URP),
  // Recorded in the audit log (so not on a read-only register).
  'citizen export': read(URP),
  'citizen erase': write(ADMIN),

  'report new': write(URP),
  'report show': read(ALL, true),
  'report list': read(ALL, true),
  'report assign': write(URP),
  'report ack': write(AREA, true),
  'report return': write(AREA, true),
  'report suspend': write(AREA, true),
  'report resume': write(AREA, true),
  'report reply': write(AREA, true),
  'report note': write(ALL, true),
  'report close': write(URP),
  'report reject': write(URP),
  'report reopen': write(URP),
  // The letter carries the citizen's name and address: recorded in the audit log.
  'report letter': write(ALL, true),
  'reply-template add': write(ADMIN),
  'reply-template list': read(ALL),
  'reply-template show': read(ALL),
  'reply-template disable': write(ADMIN),
  review: read(ALL),

  queue: read(ALL, true),
  // --with-citizen (admin, urp) is recorded in the audit log, so the register must be writable then.
  overdue: read(ALL, true),
  stats: read(ALL),
  import: write(URP),
  // Personal data (admin, urp), recorded in the audit log; area operators only --format open311.
  export: read(ALL, true),

  // Messages (issue 14): the outbox holds addresses; cron's account is bound to an urp operator.
  'mail send': write(URP),
  'mail digest': write(URP),
  'outbox list': read(URP),
  'outbox retry': write(URP),
  'template list': read(URP),
  'template show': read(URP),
  'template set': write(ADMIN),
  'template preview': read(URP),

  'privacy retention': write(ADMIN),
  'privacy backups': read(ADMIN),

  'operator add': write(ADMIN),
  'operator list': read(ADMIN),
  'operator update': write(ADMIN),
  'operator disable': write(ADMIN),

  'config list': read(ALL),
  'config get': read(ALL),
  'config set': write(ADMIN),
  'config holidays': read(ALL),

  'db status': { roles: 'anyone', store: 'read' },
  // Help that teaches (issue 16): prose and scripts from the program itself; they never open the register.
  help: { roles: 'anyone', store: 'read' },
  completion: { roles: 'anyone', store: 'read' },
  'db check': read(URP),
  // A copy of everything: recorded in the audit log.
  'db backup': read(URP),
  'db restore': write(ADMIN),
  'db migrate': write(ADMIN),
  // A copy of everything (recorded in the audit log), into an empty register.
  'db copy': read(URP),
  // PostgreSQL logins and their database roles.
  'db grant': write(ADMIN),
} as const satisfies Record<string, CommandAccess>;

export type CommandPath = keyof typeof COMMAND_ACCESS;

export function commandAccess(path: string): CommandAccess | undefined {
  return (COMMAND_ACCESS as Record<string, CommandAccess>)[path];
}
