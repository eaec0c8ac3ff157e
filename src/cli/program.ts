import { Command, Option } from 'commander';
import type { Language } from '../domain/vocabulary.js';
import type { Action } from '../domain/report-workflow.js';
import packageJson from '../../package.json' with { type: 'json' };
import { commanderError } from './commander-messages.js';
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
  const it = runtime.language === 'it';
  const wanted = (group: string) => runtime.group === '*' || runtime.group === group;
  /** Help text in the user's language. */
  const say = (english: string, italian: string) => (it ? italian : english);
  /** Help for an option that takes a date and time: what the hour that occurs twice means (the times that never occur are refused). */
  const sayWhen = (english: string, italian: string) =>
    say(`${english} (an hour that occurs twice: the first, unless an offset is given)`, `${italian} (un'ora che si ripete: la prima, se non si indica l'offset)`);

  function action(load: () => Promise<CommandModule>) {
    return async (...received: unknown[]) => {
      const command = received.at(-1) as Command;
      // commander passes the positional arguments, then the options, then the command.
      const args = received.slice(0, -2).flat().filter((value): value is string => typeof value === 'string');
      await runtime.execute(load, command, args);
    };
  }

  // Set before any subcommand is added: commander copies these settings into each.
  const program = new Command('urp')
    .exitOverride()
    .configureOutput({
      writeOut: runtime.writeOut,
      writeErr: runtime.writeErr,
      outputError: (text, write) => write(commanderError(text, runtime.language)),
    })
    .description(
      say(
        "Back office of the municipality's URP: citizens' complaints, problem reports and suggestions, their deadlines, the morning printout and the statistics.",
        "Gestione delle segnalazioni dell'URP comunale: reclami, segnalazioni e suggerimenti dei cittadini, scadenze, stampa dei ritardi e statistiche.",
      ),
    )
    .version(packageJson.version, '-V, --version', say('print the version', 'mostra la versione'))
    .helpOption('-h, --help', say('show help', 'mostra questo aiuto'))
    .helpCommand(false)
    .option('--db <path>', say('database file or postgres:// URL (else URP_DB, else $XDG_DATA_HOME/urp/urp.db)', 'file del database o URL postgres:// (altrimenti URP_DB, altrimenti $XDG_DATA_HOME/urp/urp.db)'))
    .option('--operator <name>', say('an admin acting on behalf of this operator (else URP_OPERATOR; you are your OS account)', "un admin che opera per conto di questo operatore (altrimenti URP_OPERATOR; lei è il suo account di sistema)"))
    .addOption(new Option('--lang <language>', say('it or en (else URP_LANG, else LANG)', 'it o en (altrimenti URP_LANG, altrimenti LANG)')).choices(['it', 'en']))
    .option('--no-input', say('never prompt; a missing value is an error', 'non fare domande; un valore mancante è un errore'))
    .option('--no-color', say('no colour (also NO_COLOR or TERM=dumb)', 'niente colori (anche NO_COLOR o TERM=dumb)'))
    .option('-q, --quiet', say('print data only, no messages', 'stampa solo i dati, nessun messaggio'))
    .option('--debug', say('print the stack trace of unexpected errors', 'stampa lo stack degli errori imprevisti'))
    .addHelpText(
      'after',
      say(
        '\nExit codes: 0 done; 1 unexpected failure; 2 input refused (usage, validation, not found, transition not allowed);\n3 overdue --check found late reports, import --skip-invalid rejected rows, or mail send left messages pending or failed; 130 cancelled.',
        '\nCodici di uscita: 0 fatto; 1 errore imprevisto; 2 input rifiutato (uso, validazione, non trovato, passaggio non consentito);\n3 overdue --check ha trovato ritardi, import --skip-invalid ha scartato righe, o mail send ha lasciato messaggi in attesa o non recapitati; 130 annullato.',
      ),
    );

  const asOf = () => new Option('--as-of <date-time>', sayWhen('compute as of this moment', 'calcola a questo momento'));
  /** The filters `report list` and `export` share. */
  const withReportFilters = (command: Command): Command => {
    for (const option of reportFilterOptions()) command.addOption(option);
    return command;
  };
  const reportFilterOptions = () => [
    new Option('--status <status...>', say('only these statuses', 'solo questi stati')),
    new Option('--area <area>', say('only this area', 'solo questa area')),
    new Option('--type <type>', say('only this type', 'solo questo tipo')),
    new Option('--channel <channel>', say('only this channel', 'solo questo canale')),
    new Option('--category <category>', say('only this category', 'solo questa categoria')),
    new Option('--citizen <id>', say("only this citizen's", 'solo di questo cittadino')),
    new Option('--from <date>', sayWhen('received on or after', 'ricevute dal')),
    new Option('--to <date>', sayWhen('received on or before', 'ricevute fino al')),
    new Option('--search <text>', say('text in subject, description, place, number or reference (case and accents ignored)', 'testo in oggetto, descrizione, luogo, numero o riferimento (maiuscole e accenti ignorati)')),
    new Option('--late', say('only late ones', 'solo quelle in ritardo')),
    new Option('--limit <n>', say('at most this many, the first in the listing\'s order (report list: newest first; export: oldest number first)', "al massimo queste, le prime nell'ordine dell'elenco (report list: le più recenti; export: dal numero più vecchio)")),
  ];
  const json = () => new Option('--json', say('JSON output (stable camelCase fields)', 'output JSON (campi camelCase stabili)')).conflicts('csv');
  const csv = () => new Option('--csv', say('CSV output', 'output CSV'));

  program
    .command('init')
    .description(say('create the database (and apply migrations)', 'crea il database (e applica le migrazioni)'))
    .option('--demo', say('load a realistic fictional data set', 'carica un insieme di dati fittizi realistici'))
    .option('--group <group>', say('share the register with the accounts of this group (files 0660, folder 2770)', 'condivide il registro con gli account di questo gruppo (file 0660, cartella 2770)'))
    .action(action(() => import('./commands/init.js')));

  // Areas
  const area = program.command('area').description(say('areas (organisational units) and their managers', 'aree (unità organizzative) e responsabili'));
  if (wanted('area')) {
    area
      .command('add <code>')
      .description(say('add an area', "aggiunge un'area"))
      .requiredOption('--name <name>', say('name', 'nome'))
      .option('--manager <name>', say('manager (responsabile)', 'responsabile'))
      .option('--email <address>', say("the area's e-mail", "e-mail dell'area"))
      .action(action(() => import('./commands/area-add.js')));
    area
      .command('list')
      .description(say('list areas', 'elenca le aree'))
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/area-list.js')));
    area
      .command('update <code>')
      .description(say('change an area', "modifica un'area"))
      .option('--name <name>', say('name', 'nome'))
      .option('--manager <name>', say('manager (empty to remove)', 'responsabile (vuoto per togliere)'))
      .option('--email <address>', say('e-mail (empty to remove)', 'e-mail (vuoto per togliere)'))
      .option('--enable', say('enable a disabled area again', "riattiva un'area disattivata"))
      .action(action(() => import('./commands/area-update.js')));
    area
      .command('disable <code>')
      .description(say('disable an area: no new assignments, history kept', "disattiva un'area: niente nuove assegnazioni, storico conservato"))
      .action(action(() => import('./commands/area-disable.js')));
  }

  // Categories
  const category = program.command('category').description(say('categories of reports and their default area', 'categorie delle segnalazioni e area predefinita'));
  if (wanted('category')) {
    category
      .command('add <code>')
      .description(say('add a category', 'aggiunge una categoria'))
      .requiredOption('--name <name>', say('name', 'nome'))
      .option('--area <area>', say('the area that usually handles it', "l'area che di solito se ne occupa"))
      .action(action(() => import('./commands/category-add.js')));
    category
      .command('list')
      .description(say('list categories', 'elenca le categorie'))
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/category-list.js')));
    category
      .command('update <code>')
      .description(say('change a category', 'modifica una categoria'))
      .option('--name <name>', say('name', 'nome'))
      .option('--area <area>', say('default area (empty to remove)', 'area predefinita (vuoto per togliere)'))
      .option('--enable', say('enable it again', 'la riattiva'))
      .action(action(() => import('./commands/category-update.js')));
    category
      .command('disable <code>')
      .description(say('disable a category', 'disattiva una categoria'))
      .action(action(() => import('./commands/category-disable.js')));
  }

  // Citizens
  const citizen = program.command('citizen').description(say('citizens who made reports', 'cittadini che hanno fatto segnalazioni'));
  if (wanted('citizen')) {
    const citizenFields = (command: Command, required: boolean) => {
      const name = (flag: string, en: string, itText: string) =>
        required ? command.requiredOption(flag, say(en, itText)) : command.option(flag, say(en, itText));
      name('--first-name <name>', 'first name', 'nome');
      name('--last-name <name>', 'last name', 'cognome');
      return command
        .option('--tax-code <code>', say('tax code (codice fiscale)', 'codice fiscale'))
        .option('--email <address>', 'e-mail')
        .option('--phone <number>', say('phone', 'telefono'))
        .option('--address <address>', say('postal address', 'indirizzo postale'))
        .option('--pec <address>', say('PEC (certified e-mail) address', 'indirizzo PEC'));
    };
    citizenFields(citizen.command('add').description(say('register a citizen', 'registra un cittadino')), true)
      .addOption(json())
      .action(action(() => import('./commands/citizen-add.js')));
    citizen
      .command('find <text...>')
      .description(say('find citizens by part of the name, tax code, e-mail or phone', 'cerca cittadini per parte del nome, codice fiscale, e-mail o telefono'))
      .option('--limit <n>', say('at most this many', 'al massimo questi'), '50')
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/citizen-find.js')));
    citizen
      .command('show <id>')
      .description(say("a citizen's data and reports", 'dati e segnalazioni di un cittadino'))
      .addOption(json())
      .action(action(() => import('./commands/citizen-show.js')));
    citizenFields(citizen.command('update <id>').description(say("change a citizen's data", 'modifica i dati di un cittadino')), false)
      .addOption(json())
      .action(action(() => import('./commands/citizen-update.js')));

    citizen
      .command('export <id>')
      .description(say('everything held on one citizen, as JSON (GDPR access)', 'tutti i dati di un cittadino, in JSON (accesso GDPR)'))
      .action(action(() => import('./commands/citizen-export.js')));
    citizen
      .command('erase <id>')
      .description(say('replace a citizen\'s personal data with a pseudonym (GDPR erasure); reports stay', 'sostituisce i dati personali di un cittadino con uno pseudonimo (cancellazione GDPR); le segnalazioni restano'))
      .option('--force', say('even with open reports', 'anche con segnalazioni aperte'))
      .option('--redact-texts', say('also blank the texts of their reports and replies', 'cancella anche i testi delle sue segnalazioni e risposte'))
      .option('--yes', say('confirm (required without a terminal)', 'conferma (obbligatoria senza terminale)'))
      .action(action(() => import('./commands/citizen-erase.js')));
  }

  // Reports
  const report = program.command('report').description(say('reports: register, find, follow', 'segnalazioni: registrare, cercare, seguire'));
  if (wanted('report')) {
    report
      .command('new')
      .description(say('register a report (prompts for what is missing on a terminal)', 'registra una segnalazione (su un terminale chiede ciò che manca)'))
      .option('--type <type>', say('complaint, problem or suggestion (reclamo, segnalazione, suggerimento)', 'reclamo, segnalazione o suggerimento'))
      .option('--channel <channel>', say('phone, paper, email, pec, counter or web', 'telefono, cartaceo, e-mail, PEC, sportello o web'))
      .option('--received-at <date-time>', sayWhen('when the citizen made it (default: now)', 'quando il cittadino l\'ha fatta (predefinito: adesso)'))
      .option('--subject <text>', say('subject, up to 200 characters', 'oggetto, fino a 200 caratteri'))
      .option('--description <text>', say('description', 'descrizione'))
      .option('--category <category>', say('category', 'categoria'))
      .option('--area <area>', say('assign at once to this area', 'assegna subito a questa area'))
      .option('--location <place>', say('where (street, place)', 'dove (via, luogo)'))
      .option('--external-ref <ref>', say('reference in another system (protocol number...)', 'riferimento in un altro sistema (protocollo...)'))
      .option('--citizen <id>', say('an already registered citizen', 'un cittadino già registrato'))
      .option('--first-name <name>', say("citizen's first name", 'nome del cittadino'))
      .option('--last-name <name>', say("citizen's last name", 'cognome del cittadino'))
      .option('--tax-code <code>', say("citizen's tax code", 'codice fiscale del cittadino'))
      .option('--email <address>', say("citizen's e-mail", 'e-mail del cittadino'))
      .option('--phone <number>', say("citizen's phone", 'telefono del cittadino'))
      .option('--address <address>', say("citizen's postal address", 'indirizzo del cittadino'))
      .option('--pec <address>', say("citizen's PEC address", 'indirizzo PEC del cittadino'))
      .option('--from-eml <file>', say('register it from the e-mail message itself (.eml file, or - for standard input)', "registrarla dal messaggio e-mail stesso (file .eml, o - per lo standard input)"))
      .addOption(json())
      .action(action(() => import('./commands/report-new.js')));
    report
      .command('show <number>')
      .description(say('a report with its deadlines and timeline', 'una segnalazione con scadenze e cronologia'))
      .addOption(asOf())
      .addOption(json())
      .action(action(() => import('./commands/report-show.js')));
    report
      .command('letter <number>')
      .description(say('the reply letter as PDF (PDF/A-2b), for post or PEC; a draft until the report is answered', 'la lettera di risposta in PDF (PDF/A-2b), per posta o PEC; una bozza finché la segnalazione non ha risposta'))
      .option('--output <file>', say('where to write it (default: letter-YYYY-NNNNNN.pdf here; - for standard output, not a terminal)', 'dove scriverla (predefinito: lettera-AAAA-NNNNNN.pdf qui; - per lo standard output, non un terminale)'))
      .addHelpText('after', say('\nItalian unless --lang en is given.', '\nIn italiano, salvo --lang en.'))
      .action(action(() => import('./commands/report-letter.js')));
    withReportFilters(report.command('list').description(say('list reports, most recent first', 'elenca le segnalazioni, le più recenti prima')))
      .addOption(asOf())
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/report-list.js')));
  }

  // The workflow: one command per action, all served by the state machine.
  const workflowAction = (name: Action, english: string, italian: string) =>
    report
      .command(`${name} <number>`)
      .description(say(english, italian))
      .option('--at <date-time>', sayWhen('when it happened, if earlier than now (a letter sent yesterday)', 'quando è avvenuto, se prima di adesso (una lettera spedita ieri)'))
      .addOption(json())
      .action(action(() => import('./commands/report-action.js').then((module) => module.forAction(name))));
  const reason = () => new Option('--reason <text>', say('why (required)', 'motivo (obbligatorio)'));
  workflowAction('assign', 'URP assigns (or reassigns) to an area', "l'URP assegna (o riassegna) a un'area")
    .option('--area <area>', say('the competent area', "l'area competente"))
    .option('--reason <text>', say('why (required to move a report already taken in charge)', 'motivo (obbligatorio per spostare una segnalazione già presa in carico)'));
  workflowAction('ack', 'the area takes the report in charge (presa in carico)', "l'area prende in carico la segnalazione");
  workflowAction('return', 'the area returns it to URP: not its competence', "l'area la restituisce all'URP: non di sua competenza").addOption(reason());
  workflowAction('suspend', 'stop the reply clock while waiting for the citizen (once)', 'sospende il termine di risposta in attesa del cittadino (una volta)').addOption(reason());
  workflowAction('resume', 'restart the reply clock; the deadline moves by the suspended days', 'riprende il termine; la scadenza slitta dei giorni di sospensione');
  workflowAction('reply', 'the area replies to the citizen', "l'area risponde al cittadino")
    .option('--text <text>', say('the reply sent to the citizen', 'la risposta inviata al cittadino'))
    .option('--template <code>', say('a reply template, its fields filled (edited first on a terminal)', 'un modello di risposta, con i campi compilati (prima modificabile su un terminale)'))
    .option('--outcome <outcome>', say('resolved, unresolved, information or not_competent (default: the template\'s)', 'risolta, non risolta, informativa o non di competenza (predefinito: quello del modello)'))
    .option('--via <channel>', say('email, letter, phone, pec or counter', 'e-mail, lettera, telefono, PEC o sportello'));
  workflowAction('note', 'an internal note (never shown to the citizen)', 'una nota interna (mai mostrata al cittadino)').option('--text <text>', say('the note', 'la nota'));
  workflowAction('close', 'URP closes an answered report', "l'URP chiude una segnalazione con risposta").option('--reason <text>', say('optional remark', 'annotazione facoltativa'));
  workflowAction('reject', 'URP rejects a report that is not admissible (duplicate, not our competence)', "l'URP respinge una segnalazione non ammissibile (doppione, non di competenza)").addOption(reason());
  workflowAction('reopen', 'URP reopens a closed or rejected report', "l'URP riapre una segnalazione chiusa o respinta").addOption(reason());

  program
    .command('queue')
    .description(say('what each side must do next, by deadline', 'cosa deve fare ciascuno, per scadenza'))
    .option('--area <area>', say("only this area's queue", 'solo la coda di questa area'))
    .addOption(asOf())
    .addOption(json())
    .addOption(csv())
    .action(action(() => import('./commands/queue.js')));

  program
    .command('overdue')
    .description(say('the deadline printout: late to assign, late to reply, due soon', 'la stampa delle scadenze: da assegnare in ritardo, risposte in ritardo, in scadenza'))
    .option('--area <area>', say('only this area', 'solo questa area'))
    .option('--by-area', say('one page per area, for each manager', 'una pagina per area, per ogni responsabile'))
    .option('--soon <days>', say('"due soon" window in days (default: setting due-soon-days)', 'finestra "in scadenza" in giorni (predefinita: impostazione due-soon-days)'))
    .option('--check', say('exit 3 when anything is late (for cron)', 'esce con 3 se qualcosa è in ritardo (per cron)'))
    .option('--with-citizen', say("include the citizens' names and contacts", 'include nomi e recapiti dei cittadini'))
    .addOption(asOf())
    .addOption(json())
    .addOption(csv())
    .action(action(() => import('./commands/overdue.js')));

  program
    .command('stats')
    .description(say('quality statistics for a period (by date of receipt)', 'statistiche di qualità per un periodo (per data di ricevimento)'))
    .option('--from <date>', sayWhen('received on or after (default: 1 January of this year)', "ricevute dal (predefinito: 1° gennaio dell'anno)"))
    .option('--to <date>', sayWhen('received on or before (default: today)', 'ricevute fino al (predefinito: oggi)'))
    .addOption(new Option('--by <group>', say('one row per group', 'una riga per gruppo')).choices(['area', 'type', 'channel', 'category', 'month']))
    .addOption(asOf())
    .addOption(json())
    .addOption(csv())
    .action(action(() => import('./commands/stats.js')));

  program
    .command('review')
    .description(say('the quality review pack (riesame della direzione) with charts, as PDF or HTML', 'il documento per il riesame della direzione, con grafici, in PDF o HTML'))
    .option('--from <date>', say('received on or after (default: 1 January of this year)', "ricevute dal (predefinito: 1° gennaio dell'anno)"))
    .option('--to <date>', say('received on or before (default: today)', 'ricevute fino al (predefinito: oggi)'))
    .addOption(new Option('--format <format>', say('pdf (default) or html (self-contained)', 'pdf (predefinito) o html (autonomo)')).choices(['pdf', 'html']))
    .option('--output <file>', say('where to write it (default: review-FROM-TO.pdf here; - for standard output, not a terminal)', 'dove scriverlo (predefinito: riesame-DAL-AL.pdf qui; - per lo standard output, non un terminale)'))
    .addOption(asOf())
    .action(action(() => import('./commands/review.js')));

  const replyTemplate = program.command('reply-template').description(say('reply templates (canned replies) for report reply --template', 'modelli di risposta per report reply --template'));
  if (wanted('reply-template')) {
    replyTemplate
      .command('add <code>')
      .description(say('add a template; its text may name fields: {citizenName} {number} {receivedDate} {subject} {category} {location} {area} {areaManager} {organisation} {urpPhone} {urpEmail} {today}', 'aggiunge un modello; il testo può contenere campi: {citizenName} {number} {receivedDate} {subject} {category} {location} {area} {areaManager} {organisation} {urpPhone} {urpEmail} {today}'))
      .option('--title <text>', say('what the template is for', 'a cosa serve il modello'))
      .option('--file <file>', say('the text, UTF-8 (- for standard input)', 'il testo, UTF-8 (- per lo standard input)'))
      .option('--outcome <outcome>', say('the outcome it usually goes with', "l'esito che di solito lo accompagna"))
      .option('--category <category>', say('the category it is meant for (offered first for its reports)', 'la categoria a cui è destinato (proposto per primo per le sue segnalazioni)'))
      .action(action(() => import('./commands/reply-template.js').then((module) => module.add)));
    replyTemplate
      .command('list')
      .description(say('list the active templates', 'elenca i modelli attivi'))
      .option('--all', say('disabled ones too', 'anche quelli disattivati'))
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/reply-template.js').then((module) => module.list)));
    replyTemplate
      .command('show <code>')
      .description(say('a template and its text', 'un modello e il suo testo'))
      .addOption(json())
      .action(action(() => import('./commands/reply-template.js').then((module) => module.show)));
    replyTemplate
      .command('disable <code>')
      .description(say('disable a template (kept, no longer offered)', 'disattiva un modello (conservato, non più proposto)'))
      .action(action(() => import('./commands/reply-template.js').then((module) => module.disable)));
  }

  program
    .command('import <file>')
    .description(say('import reports from CSV, JSON or JSON Lines: all or nothing, idempotent', 'importa segnalazioni da CSV, JSON o JSON Lines: tutto o niente, senza doppioni'))
    .option('--dry-run', say('check everything, write nothing', 'controlla tutto, non scrive nulla'))
    .option('--skip-invalid', say('import the good rows; the bad ones go to --rejects (exit 3)', 'importa le righe valide; le altre vanno in --rejects (uscita 3)'))
    .option('--rejects <file>', say('where rejected rows are written, with their errors', 'dove scrivere le righe scartate, con i loro errori'))
    .addOption(new Option('--format <format>', say('csv, json or jsonl (default: from the extension)', "csv, json o jsonl (predefinito: dall'estensione)")).choices(['csv', 'json', 'jsonl']))
    .addOption(new Option('--encoding <encoding>', say('utf8 (default) or latin1 (Windows-1252)', 'utf8 (predefinito) o latin1 (Windows-1252)')).choices(['utf8', 'latin1']))
    .addOption(json())
    .action(action(() => import('./commands/import.js')));

  const exportCommand = program
    .command('export')
    .description(say('export reports with their milestones and reply', 'esporta le segnalazioni con le date e la risposta'))
    .addOption(new Option('--format <format>', say('csv (default), json, jsonl or open311', 'csv (predefinito), json, jsonl o open311')).choices(['csv', 'json', 'jsonl', 'open311']))
    .option('--output <file>', say('write to a file (default: standard output)', 'scrive su file (predefinito: standard output)'));
  withReportFilters(exportCommand)
    .addOption(asOf())
    .action(action(() => import('./commands/export.js')));

  const privacy = program.command('privacy').description(say('personal data retention (GDPR)', 'conservazione dei dati personali (GDPR)'));
  if (wanted('privacy')) {
    privacy
      .command('retention')
      .description(say('erase citizens whose last report closed before the limit', "cancella i cittadini la cui ultima segnalazione è chiusa prima del limite"))
      .option('--older-than <duration>', say('e.g. 5y, 18m, 90d', 'es. 5y, 18m, 90d'))
      .option('--dry-run', say('only count them', 'solo contarli'))
      .option('--redact-texts', say('also blank the texts of their reports', 'cancella anche i testi delle loro segnalazioni'))
      .option('--yes', say('confirm (required without a terminal)', 'conferma (obbligatoria senza terminale)'))
      .addOption(json())
      .action(action(() => import('./commands/privacy-retention.js')));
    privacy
      .command('backups')
      .description(say('the copies urp wrote beside the database, which still hold erased data', 'le copie scritte da urp accanto al database, che contengono ancora i dati cancellati'))
      .addOption(json())
      .action(action(() => import('./commands/privacy-backups.js')));
  }

  const operator = program.command('operator').description(say('operators and their roles (admin, urp, area)', 'operatori e ruoli (admin, urp, area)'));
  if (wanted('operator')) {
    operator
      .command('add <name>')
      .description(say('add an operator (the first must be an admin)', 'aggiunge un operatore (il primo deve essere admin)'))
      .option('--role <role>', say('admin, urp or area', 'admin, urp o area'))
      .option('--full-name <name>', say('full name', 'nome e cognome'))
      .option('--area <area...>', say('the areas of an area operator', "le aree di un operatore d'area"))
      .option('--os-user <login>', say('the operating-system account that acts as this operator (default: the name)', "l'account del sistema operativo che opera come questo operatore (predefinito: il nome)"))
      .action(action(() => import('./commands/operator-add.js')));
    operator
      .command('list')
      .description(say('list operators', 'elenca gli operatori'))
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/operator-list.js')));
    operator
      .command('update <name>')
      .description(say('change an operator: the account bound to it, the full name, or enable it again', "modifica un operatore: l'account legato, il nome completo, o lo riattiva"))
      .option('--os-user <login>', say('the operating-system account that acts as this operator', "l'account del sistema operativo che opera come questo operatore"))
      .option('--full-name <name>', say('full name (empty to remove)', 'nome e cognome (vuoto per togliere)'))
      .option('--enable', say('enable a disabled operator again', 'riattiva un operatore disattivato'))
      .action(action(() => import('./commands/operator-update.js')));
    operator
      .command('disable <name>')
      .description(say('disable an operator', 'disattiva un operatore'))
      .action(action(() => import('./commands/operator-disable.js')));
  }

  program
    .command('menu', { hidden: true })
    .description(say('the interactive menu (urp alone on a terminal)', 'il menu interattivo (urp da solo su un terminale)'))
    .action(action(() => import('./commands/menu.js')));

  // Messages that reach people (issue 14): sending, the outbox, the templates.
  const mail = program.command('mail').description(say('send the outbox: receipts, assignments, replies, digests', 'invia la posta in uscita: ricevute, assegnazioni, risposte, riepiloghi'));
  if (wanted('mail')) {
    mail
      .command('send')
      .description(say('send what is pending (for cron); exit 0 all sent, 3 some still pending or failed, 2 bad configuration', 'invia ciò che è in attesa (per cron); uscita 0 tutto inviato, 3 qualcosa in attesa o non recapitato, 2 configurazione errata'))
      .option('--watch', say('keep running, sending as messages arrive', 'resta attivo e invia man mano'))
      .option('--interval <seconds>', say('with --watch: how often to look (default 60)', 'con --watch: ogni quanti secondi guardare (predefinito 60)'))
      .addOption(json())
      .action(action(() => import('./commands/mail-send.js')));
    mail
      .command('digest')
      .description(say("queue today's digests: to each area its late and due reports, to URP those to assign", 'accoda i riepiloghi del giorno: a ogni area le sue segnalazioni in ritardo e in scadenza, all\'URP quelle da assegnare'))
      .addOption(asOf())
      .addOption(json())
      .action(action(() => import('./commands/mail-digest.js')));
  }
  const outbox = program.command('outbox').description(say('what was sent, to whom, when', 'cosa è stato inviato, a chi, quando'));
  if (wanted('outbox')) {
    outbox
      .command('list')
      .description(say('the messages, newest first', 'i messaggi, i più recenti prima'))
      .option('--status <status>', say('pending, sending, sent, failed, no_address or cancelled', 'pending, sending, sent, failed, no_address o cancelled'))
      .option('--report <number>', say("only this report's", 'solo di questa segnalazione'))
      .option('--limit <n>', say('at most this many', 'al massimo questi'))
      .addOption(json())
      .addOption(csv())
      .action(action(() => import('./commands/outbox-list.js')));
    outbox
      .command('retry <id>')
      .description(say('send a failed (or addressless) message again, with its address looked up again', 'invia di nuovo un messaggio non recapitato (o senza indirizzo), cercandone di nuovo l\'indirizzo'))
      .action(action(() => import('./commands/outbox-retry.js')));
  }
  const template = program.command('template').description(say('the texts of the messages', 'i testi dei messaggi'));
  if (wanted('template')) {
    const language = () => new Option('--language <language>', say('it or en (default: the setting mail-language)', 'it o en (predefinita: l\'impostazione mail-language)'));
    template
      .command('list')
      .description(say('the templates, their languages and whether the office changed them', "i modelli, le lingue e se l'ufficio li ha cambiati"))
      .addOption(json())
      .action(action(() => import('./commands/template-list.js')));
    template
      .command('show <name>')
      .description(say('a template as a file to edit (Subject: line, blank line, body) and its fields', 'un modello come file da modificare (riga Oggetto:, riga vuota, testo) e i suoi campi'))
      .addOption(language())
      .option('--default', say('the shipped text, not the office\'s', "il testo predefinito, non quello dell'ufficio"))
      .action(action(() => import('./commands/template-show.js')));
    template
      .command('set <name>')
      .description(say('replace a template (checked: unknown fields and empty texts are refused)', 'sostituisce un modello (verificato: campi sconosciuti e testi vuoti sono rifiutati)'))
      .addOption(language())
      .option('--file <file>', say('the new text, as template show prints it', 'il nuovo testo, come lo stampa template show'))
      .option('--default', say('back to the shipped text', 'ritorna al testo predefinito'))
      .action(action(() => import('./commands/template-set.js')));
    template
      .command('preview <name> [subject]')
      .description(say('the message as it would go out now: receipt, assignment and reply for a report number, digest-area for an area code', 'il messaggio come partirebbe ora: ricevuta, assegnazione e risposta per un numero di segnalazione, digest-area per un codice di area'))
      .addOption(language())
      .addOption(asOf())
      .action(action(() => import('./commands/template-preview.js')));
  }

  // Settings
  const config = program.command('config').description(say('settings: deadlines, time zone, holidays, organisation name', 'impostazioni: scadenze, fuso orario, festività, nome dell\'ente'));
  if (wanted('config')) {
    config
      .command('list')
      .description(say('all settings', 'tutte le impostazioni'))
      .addOption(json())
      .action(action(() => import('./commands/config-list.js')));
    config
      .command('get <key>')
      .description(say('one setting', 'una impostazione'))
      .action(action(() => import('./commands/config-get.js')));
    config
      .command('set <key> <value>')
      .description(say('change a setting (checked before it is stored)', 'cambia una impostazione (verificata prima di salvarla)'))
      .action(action(() => import('./commands/config-set.js')));
    config
      .command('holidays')
      .description(say('the holidays urp applies in a year, national and local: no deadline falls on them', 'le festività che urp applica in un anno, nazionali e locali: nessuna scadenza cade in quei giorni'))
      .option('--year <year>', say('the year (default: this year)', "l'anno (predefinito: quello in corso)"))
      .addOption(json())
      .action(action(() => import('./commands/config-holidays.js')));
  }

  // Database
  const db = program.command('db').description(say('the database file', 'il file del database'));
  if (wanted('db')) {
    db.command('status')
      .description(say('where the database is, its schema version and contents', 'dove si trova il database, versione dello schema e contenuto'))
      .addOption(json())
      .action(action(() => import('./commands/db-status.js')));
    db.command('check')
      .description(say('integrity, foreign keys and the register\'s own rules; exit 1 with a list when unsound', 'integrità, chiavi esterne e regole del registro; esce con 1 e un elenco se qualcosa non va'))
      .addOption(json())
      .action(action(() => import('./commands/db-check.js')));
    db.command('backup <file>')
      .description(say('a consistent copy, taken while others work, then checked', 'una copia coerente, presa mentre altri lavorano, poi verificata'))
      .action(action(() => import('./commands/db-backup.js')));
    db.command('restore <file>')
      .description(say('replace the database with a checked backup', 'sostituisce il database con un backup verificato'))
      .option('--yes', say('confirm (required without a terminal)', 'conferma (obbligatoria senza terminale)'))
      .action(action(() => import('./commands/db-restore.js')));
    db.command('migrate')
      .description(say('apply pending migrations', 'applica le migrazioni in sospeso'))
      .action(action(() => import('./commands/db-migrate.js')));
    // A shared register on PostgreSQL (issue 13).
    db.command('copy')
      .description(say('copy the whole register into an empty one, SQLite or PostgreSQL, then check the copy', "copia l'intero registro in uno vuoto, SQLite o PostgreSQL, poi verifica la copia"))
      .requiredOption('--to <target>', say('a file, or a postgres:// URL (the password in ~/.pgpass or PGPASSWORD)', 'un file, o un URL postgres:// (la password in ~/.pgpass o PGPASSWORD)'))
      .addOption(json())
      .action(action(() => import('./commands/db-copy.js')));
    db.command('grant <login>')
      .description(say("PostgreSQL: give a clerk's own login a role in this register (created if missing)", "PostgreSQL: dà all'utente di un addetto un ruolo in questo registro (creato se manca)"))
      .option('--role <role>', say('admin, urp or area', 'admin, urp o area'))
      .option('--area <area...>', say('the areas of an area login', "le aree di un utente d'area"))
      .option('--full-name <name>', say('full name', 'nome e cognome'))
      .action(action(() => import('./commands/db-grant.js')));
  }

  // After a usage error, the help to read: `urp report list --help`.
  const hint = (command: Command, path: string): void => {
    command.showHelpAfterError(say(`(see: ${path} --help)`, `(vedere: ${path} --help)`));
    for (const sub of command.commands) hint(sub, `${path} ${sub.name()}`);
  };
  hint(program, 'urp');
  return program;
}
