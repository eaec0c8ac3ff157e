import { Command, Option } from 'commander';
import type { Language } from '../domain/vocabulary.js';
import type { Action } from '../domain/report-workflow.js';
import packageJson from '../../package.json' with { type: 'json' };
import { localiseHelp, localisedProgram } from './help.js';
import type { CommandModule } from './command-types.js';

/**
 * The command surface of SPEC section 5, as commander definitions. Only the
 * definitions live here; each command's work is in its own module under
 * commands/, loaded when that command runs, so that `urp --help` and
 * `urp report show` do not pay for the importer or the prompts.
 */

export type { CommandInput, CommandModule } from './command-types.js';

export interface ProgramRuntime {
  readonly language: Language;
  /**
   * The command group being run (`report` in `urp report show`): only its
   * subcommands are defined, which keeps start-up short. '*' defines all.
   */
  readonly group: string | undefined;
  /** Where commander writes help and its own errors. */
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
  /** Runs a command module with the parsed globals; returns its exit code. */
  execute(load: () => Promise<CommandModule>, command: Command, args: readonly string[]): Promise<void>;
}

export function buildProgram(runtime: ProgramRuntime): Command {
  const wanted = (group: string) => runtime.group === '*' || runtime.group === group;

  function action(load: () => Promise<CommandModule>) {
    return async (...received: unknown[]) => {
      const command = received.at(-1) as Command;
      // commander passes the positional arguments, then the options, then the command.
      const args = received.slice(0, -2).flat().filter((value): value is string => typeof value === 'string');
      await runtime.execute(load, command, args);
    };
  }

  // Set before any subcommand is added: commander copies these settings into each.
  const program = localisedProgram(runtime)
    .version(packageJson.version, '-V, --version')
    .helpCommand(false)
    .option('--db <path>')
    .option('--operator <name>')
    .option('--lang <language>')
    .option('--no-input')
    .option('--no-color')
    .option('-q, --quiet')
    .option('--debug')
    .option('--no-pager');

  const asOf = () => new Option('--as-of <date-time>');
  /** The filters `report list` and `export` share. */
  const withReportFilters = (command: Command): Command => {
    for (const option of reportFilterOptions()) command.addOption(option);
    return command;
  };
  const reportFilterOptions = () => [
    new Option('--status <status...>'),
    new Option('--area <area>'),
    new Option('--type <type>'),
    new Option('--channel <channel>'),
    new Option('--category <category>'),
    new Option('--citizen <id>'),
    new Option('--from <date>'),
    new Option('--to <date>'),
    new Option('--search <text>'),
    new Option('--late'),
    new Option('--limit <n>'),
  ];
  const json = () => new Option('--json').conflicts(['csv', 'csvExcel', 'xlsx']);
  const csv = () => new Option('--csv').conflicts(['csvExcel', 'xlsx']);
  /** Lists as an Italian office opens them (issue 16): a workbook, or CSV for Excel, to --output or a pipe. */
  const spreadsheet = (command: Command): Command =>
    command.addOption(new Option('--xlsx').conflicts('csvExcel')).addOption(new Option('--csv-excel')).option('--output <file>');

  program
    .command('init')
    .option('--demo')
    .option('--group <group>')
    .action(action(() => import('./commands/init.js')));

  // Areas
  const area = program.command('area');
  if (wanted('area')) {
    area
      .command('add <code>')
      .requiredOption('--name <name>')
      .option('--manager <name>')
      .option('--email <address>')
      .action(action(() => import('./commands/area-add.js')));
    area
      .command('list')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/area-list.js')));
    area
      .command('update <code>')
      .option('--name <name>')
      .option('--manager <name>')
      .option('--email <address>')
      .option('--enable')
      .action(action(() => import('./commands/area-update.js')));
    area
      .command('disable <code>')
      .action(action(() => import('./commands/area-disable.js')));
  }

  // Categories
  const category = program.command('category');
  if (wanted('category')) {
    category
      .command('add <code>')
      .requiredOption('--name <name>')
      .option('--area <area>')
      .action(action(() => import('./commands/category-add.js')));
    category
      .command('list')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/category-list.js')));
    category
      .command('update <code>')
      .option('--name <name>')
      .option('--area <area>')
      .option('--enable')
      .action(action(() => import('./commands/category-update.js')));
    category
      .command('disable <code>')
      .action(action(() => import('./commands/category-disable.js')));
  }

  // Citizens
  const citizen = program.command('citizen');
  if (wanted('citizen')) {
    const citizenFields = (command: Command, required: boolean) => {
      const name = (flag: string) => (required ? command.requiredOption(flag) : command.option(flag));
      name('--first-name <name>');
      name('--last-name <name>');
      return command
        .option('--tax-code <code>')
        .option('--email <address>')
        .option('--phone <number>')
        .option('--address <address>')
        .option('--pec <address>');
    };
    citizenFields(citizen.command('add'), true)
      .addOption(json())
      .action(action(() => import('./commands/citizen-add.js')));
    citizen
      .command('find <text...>')
      .option('--limit <n>', undefined, '50')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/citizen-find.js')));
    citizen
      .command('show <id>')
      .addOption(json())
      .action(action(() => import('./commands/citizen-show.js')));
    citizenFields(citizen.command('update <id>'), false)
      .addOption(json())
      .action(action(() => import('./commands/citizen-update.js')));

    citizen
      .command('export <id>')
      .action(action(() => import('./commands/citizen-export.js')));
    citizen
      .command('erase <id>')
      .option('--force')
      .option('--redact-texts')
      .option('--yes')
      .action(action(() => import('./commands/citizen-erase.js')));
  }

  // Reports
  const report = program.command('report');
  if (wanted('report')) {
    report
      .command('new')
      .option('--type <type>')
      .option('--channel <channel>')
      .option('--received-at <date-time>')
      .option('--subject <text>')
      .option('--description <text>')
      .option('--category <category>')
      .option('--area <area>')
      .option('--location <place>')
      .option('--external-ref <ref>')
      .option('--citizen <id>')
      .option('--first-name <name>')
      .option('--last-name <name>')
      .option('--tax-code <code>')
      .option('--email <address>')
      .option('--phone <number>')
      .option('--address <address>')
      .option('--pec <address>')
      .option('--from-eml <file>')
      .addOption(json())
      .action(action(() => import('./commands/report-new.js')));
    report
      .command('show <number>')
      .addOption(asOf())
      .addOption(json())
      .action(action(() => import('./commands/report-show.js')));
    report
      .command('letter <number>')
      .option('--output <file>')
      .action(action(() => import('./commands/report-letter.js')));
    const list = withReportFilters(report.command('list'))
      .option('--all')
      .addOption(asOf())
      .addOption(json())
      .addOption(csv());
    spreadsheet(list).action(action(() => import('./commands/report-list.js')));
  }

  // The workflow: one command per action, all served by the state machine.
  const workflowAction = (name: Action) =>
    report
      .command(`${name} <number>`)
      .option('--at <date-time>')
      .addOption(json())
      .action(action(() => import('./commands/report-action.js').then((module) => module.forAction(name))));
  const reason = () => new Option('--reason <text>');
  workflowAction('assign')
    .option('--area <area>')
    .option('--reason <text>');
  workflowAction('ack');
  workflowAction('return').addOption(reason());
  workflowAction('suspend').addOption(reason());
  workflowAction('resume');
  workflowAction('reply')
    .option('--text <text>')
    .option('--template <code>')
    .option('--outcome <outcome>')
    .option('--via <channel>');
  workflowAction('note').option('--text <text>');
  workflowAction('close').option('--reason <text>');
  workflowAction('reject').addOption(reason());
  workflowAction('reopen').addOption(reason());

  const queue = program
    .command('queue')
    .option('--area <area>')
    .option('--all')
    .addOption(asOf())
    .addOption(json())
    .addOption(csv());
  spreadsheet(queue).action(action(() => import('./commands/queue.js')));

  const overdue = program
    .command('overdue')
    .option('--area <area>')
    .option('--by-area')
    .option('--soon <days>')
    .option('--check')
    .option('--with-citizen')
    .addOption(asOf())
    .addOption(json())
    .addOption(csv());
  spreadsheet(overdue).action(action(() => import('./commands/overdue.js')));

  const stats = program
    .command('stats')
    .option('--from <date>')
    .option('--to <date>')
    .option('--by <group>')
    .addOption(asOf())
    .addOption(json())
    .addOption(csv());
  spreadsheet(stats).action(action(() => import('./commands/stats.js')));

  program
    .command('review')
    .option('--from <date>')
    .option('--to <date>')
    .addOption(new Option('--format <format>').choices(['pdf', 'html']))
    .option('--output <file>')
    .addOption(asOf())
    .action(action(() => import('./commands/review.js')));

  const replyTemplate = program.command('reply-template');
  if (wanted('reply-template')) {
    replyTemplate
      .command('add <code>')
      .option('--title <text>')
      .option('--file <file>')
      .option('--outcome <outcome>')
      .option('--category <category>')
      .action(action(() => import('./commands/reply-template.js').then((module) => module.add)));
    replyTemplate
      .command('list')
      .option('--all')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/reply-template.js').then((module) => module.list)));
    replyTemplate
      .command('show <code>')
      .addOption(json())
      .action(action(() => import('./commands/reply-template.js').then((module) => module.show)));
    replyTemplate
      .command('disable <code>')
      .action(action(() => import('./commands/reply-template.js').then((module) => module.disable)));
  }

  program
    .command('import <file>')
    .option('--dry-run')
    .option('--skip-invalid')
    .option('--rejects <file>')
    .addOption(new Option('--format <format>').choices(['csv', 'json', 'jsonl']))
    .addOption(new Option('--encoding <encoding>').choices(['utf8', 'latin1']))
    .addOption(json())
    .action(action(() => import('./commands/import.js')));

  const exportCommand = program
    .command('export')
    .addOption(new Option('--format <format>').choices(['csv', 'json', 'jsonl', 'open311', 'xlsx']))
    .addOption(new Option('--csv-excel').conflicts('format'))
    .option('--output <file>');
  withReportFilters(exportCommand)
    .addOption(asOf())
    .action(action(() => import('./commands/export.js')));

  const privacy = program.command('privacy');
  if (wanted('privacy')) {
    privacy
      .command('retention')
      .option('--older-than <duration>')
      .option('--dry-run')
      .option('--redact-texts')
      .option('--yes')
      .addOption(json())
      .action(action(() => import('./commands/privacy-retention.js')));
    privacy
      .command('backups')
      .addOption(json())
      .action(action(() => import('./commands/privacy-backups.js')));
  }

  const operator = program.command('operator');
  if (wanted('operator')) {
    operator
      .command('add <name>')
      .option('--role <role>')
      .option('--full-name <name>')
      .option('--area <area...>')
      .option('--os-user <login>')
      .action(action(() => import('./commands/operator-add.js')));
    operator
      .command('list')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/operator-list.js')));
    operator
      .command('update <name>')
      .option('--os-user <login>')
      .option('--full-name <name>')
      .option('--enable')
      .action(action(() => import('./commands/operator-update.js')));
    operator
      .command('disable <name>')
      .action(action(() => import('./commands/operator-disable.js')));
  }

  program
    .command('menu', { hidden: true })
    .action(action(() => import('./commands/menu.js')));

  // Messages that reach people (issue 14): sending, the outbox, the templates.
  const mail = program.command('mail');
  if (wanted('mail')) {
    mail
      .command('send')
      .option('--watch')
      .option('--interval <seconds>')
      .addOption(json())
      .action(action(() => import('./commands/mail-send.js')));
    mail
      .command('digest')
      .addOption(asOf())
      .addOption(json())
      .action(action(() => import('./commands/mail-digest.js')));
  }
  const outbox = program.command('outbox');
  if (wanted('outbox')) {
    outbox
      .command('list')
      .option('--status <status>')
      .option('--report <number>')
      .option('--limit <n>')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/outbox-list.js')));
    outbox
      .command('retry <id>')
      .action(action(() => import('./commands/outbox-retry.js')));
  }
  const template = program.command('template');
  if (wanted('template')) {
    const language = () => new Option('--language <language>');
    template
      .command('list')
      .addOption(json())
      .action(action(() => import('./commands/template-list.js')));
    template
      .command('show <name>')
      .addOption(language())
      .option('--default')
      .action(action(() => import('./commands/template-show.js')));
    template
      .command('set <name>')
      .addOption(language())
      .option('--file <file>')
      .option('--default')
      .action(action(() => import('./commands/template-set.js')));
    template
      .command('preview <name> [subject]')
      .addOption(language())
      .addOption(asOf())
      .action(action(() => import('./commands/template-preview.js')));
  }

  // Settings
  const config = program.command('config');
  if (wanted('config')) {
    config
      .command('list')
      .addOption(json())
      .action(action(() => import('./commands/config-list.js')));
    config
      .command('get <key>')
      .action(action(() => import('./commands/config-get.js')));
    config
      .command('set <key> <value>')
      .action(action(() => import('./commands/config-set.js')));
    config
      .command('holidays')
      .option('--year <year>')
      .addOption(json())
      .action(action(() => import('./commands/config-holidays.js')));
  }

  // Database
  const db = program.command('db');
  if (wanted('db')) {
    db.command('status')
      .addOption(json())
      .action(action(() => import('./commands/db-status.js')));
    db.command('check')
      .addOption(json())
      .action(action(() => import('./commands/db-check.js')));
    db.command('backup <file>')
      .action(action(() => import('./commands/db-backup.js')));
    db.command('restore <file>')
      .option('--yes')
      .action(action(() => import('./commands/db-restore.js')));
    db.command('migrate')
      .action(action(() => import('./commands/db-migrate.js')));
    // A shared register on PostgreSQL (issue 13).
    db.command('copy')
      .requiredOption('--to <target>')
      .addOption(json())
      .action(action(() => import('./commands/db-copy.js')));
    db.command('grant <login>')
      .option('--role <role>')
      .option('--area <area...>')
      .option('--full-name <name>')
      .action(action(() => import('./commands/db-grant.js')));
  }

  // Help that teaches (issue 16): topics in prose, and completion for the shell; neither opens the register.
  program
    .command('help [topic]')
    .alias('guida')
    .action(action(() => import('./commands/help.js')));
  program
    .command('completion <shell>')
    .action(action(() => import('./commands/completion.js')));

  // Descriptions, examples and the hint after a usage error, from the catalogue.
  localiseHelp(program, runtime.language);
  return program;
}
