import { InputError } from '../../domain/errors.js';
import { bindLogin, checkLoginName, loginRole } from '../../domain/operator-logins.js';
import { roles } from '../../domain/vocabulary.js';
import { writeTransaction } from '../../storage/transactions.js';
import { argument, parseOptions, text, texts } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp db grant <login> --role admin|urp|area [--area A ...]` (admin, on
 * PostgreSQL): the clerk's login made a member of this register's database
 * role for that role (created without a password if missing: the server's
 * administrator gives it one), and the operator bound to it written, in one
 * transaction. From then on that login is that operator, with psql too:
 * row-level security keeps an area login to its own areas' reports.
 */
export async function run(context: CliContext, { args, options }: CommandInput): Promise<void> {
  const input = parseOptions({ role: text, area: texts, fullName: text }, options);
  const login = checkLoginName(argument(args, 0, 'login'));
  const store = await context.store();
  if (store.engine !== 'postgres') throw new InputError('grant.serverOnly');
  const role = loginRole(input.role ?? '');
  const { grantLogin } = await import('../../storage/postgres-roles.js');
  const { operator, created } = await writeTransaction(store.db, async (trx) => {
    const grant = await grantLogin(trx, store.databaseName, login, role);
    const bound = await bindLogin(trx, context.actor(), { login, role, areas: input.area?.flatMap((area) => area.split(',')), fullName: input.fullName }, context.account);
    return { operator: bound, created: grant.created };
  });
  const areas = operator.areas.length > 0 ? ` (${operator.areas.join(', ')})` : '';
  context.output.success(context.t('grant.done', { login, role: roles.label(operator.role, context.language), areas }));
  if (created) context.output.info(context.t('grant.setPassword', { login }));
}
