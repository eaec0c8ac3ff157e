import { existsSync, rmSync } from 'node:fs';
import { recordPersonalDataRead } from '../../domain/audit.js';
import { checkDatabase } from '../../domain/integrity.js';
import { registerStatus } from '../../domain/register-status.js';
import { loadSettings } from '../../domain/settings.js';
import { type Store, maskLocation, openStore, resolveDatabasePath, schemaVersion } from '../../storage/database.js';
import { databaseFiles, sameFile } from '../../storage/file-identity.js';
import { keptMessages } from '../../storage/message-files.js';
import { copyRows, inSnapshot, settleAfterLoad, tableCounts } from '../../storage/register-copy.js';
import { StorageError } from '../../storage/storage-error.js';
import { writeTransaction } from '../../storage/transactions.js';
import { flag, parseOptions, text } from '../command-options.js';
import type { CliContext } from '../context.js';
import type { CommandInput } from '../command-types.js';

/**
 * `urp db copy --to <target>` (issue 13): the whole register, SQLite to
 * PostgreSQL or back (or file to file, server to server), into a target that
 * holds no register yet (a new file, or an empty database the server's
 * administrator created). The source is read in one snapshot while others
 * go on working; the target is written in one transaction. Then the target
 * is checked as `db check` checks, and its counts and chain heads compared
 * with the snapshot's: exit 0 only when they all agree.
 */
export async function run(context: CliContext, { options }: CommandInput): Promise<number> {
  const input = parseOptions({ to: text, json: flag }, options);
  const location = resolveDatabasePath(input.to ?? '');
  const shown = maskLocation(location);
  const source = await context.auditedRead();
  if (source.engine === 'sqlite' && databaseFiles(source.path).some((file) => sameFile(file, location))) throw new StorageError('copySameRegister');
  const newFile = !/^postgres/i.test(location) && !existsSync(location);
  const citizens = await source.db.selectFrom('citizens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await recordPersonalDataRead(source.db, context.actor(), 'db copy', Number(citizens.n));

  let target: Store | undefined;
  try {
    target = await openStore(location, { create: true });
    const counts = await tableCounts(target.db);
    if (Object.values(counts).some((count) => count > 0)) throw new StorageError('copyTargetNotEmpty', { path: shown });
    if ((await schemaVersion(target)) !== (await schemaVersion(source))) {
      throw new StorageError('backupSchemaDiffers', { found: await schemaVersion(target), expected: await schemaVersion(source) });
    }
    const writer = target;
    const before = await inSnapshot(source, async (reader) => {
      const tables = await tableCounts(reader);
      const status = await registerStatus(reader);
      await writeTransaction(writer.db, (trx) => copyRows(reader, trx));
      return { tables, status };
    });
    await copyKeptMessages(source, target);
    await settleAfterLoad(target);
    const after = { tables: await tableCounts(target.db), status: await registerStatus(target.db) };
    const differences = Object.entries(before.tables)
      .filter(([table, count]) => table in after.tables && after.tables[table] !== count)
      .map(([table, count]) => `${table} ${count} → ${after.tables[table]}`);
    for (const chain of ['report_events', 'audit_events'] as const) {
      const [was, is] = [before.status.chains[chain], after.status.chains[chain]];
      if (was.head !== is.head || was.count !== is.count) differences.push(`${chain} chain head`);
    }
    const problems = await checkDatabase(target.db, await loadSettings(target.db), context.clock());
    const result = { target: shown, engine: target.engine, tables: after.tables, chains: after.status.chains, sound: problems.length === 0 && differences.length === 0, problems, differences };
    if (input.json) context.output.json(result);
    if (differences.length > 0) {
      context.output.error(context.t('copy.differs', { path: shown, what: differences.join(', ') }));
      return 1;
    }
    if (problems.length > 0) {
      if (!input.json) for (const problem of problems) context.output.write(`${problem.check}: ${problem.detail}`);
      context.output.error(context.t('copy.unsound', { path: shown, count: problems.length }));
      return 1;
    }
    const { counts: c } = after.status;
    context.output.success(context.t('copy.done', { path: shown, reports: c.reports, events: c.events, citizens: c.citizens }));
    return 0;
  } catch (error) {
    // A file this command created and could not fill is not left behind to look like a register.
    if (newFile) {
      await target?.close().catch(() => undefined);
      target = undefined;
      for (const file of databaseFiles(location)) rmSync(file, { force: true });
    }
    throw error;
  } finally {
    await target?.close();
  }
}

/** The e-mail messages reports came from: a folder beside a SQLite file, a table on a server (src/storage/message-files.ts). */
async function copyKeptMessages(source: Store, target: Store): Promise<void> {
  const [from, to] = [await keptMessages(source.db), await keptMessages(target.db)];
  if (!from || !to) return;
  const kept = await target.db.selectFrom('inbound_messages').select(['sha256', 'file_name']).where('file_name', 'is not', null).execute();
  for (const message of kept) {
    const content = await from.read(message.file_name!);
    if (content) await to.keep(message.sha256, content);
  }
}
