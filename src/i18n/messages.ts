import type { Language } from '../domain/vocabulary.js';

/**
 * Every message a person reads, in English and Italian. Placeholders are
 * written {name}. Field errors are worded without the field: the command line
 * prefixes the flag (`--subject: ...`), the importer the line and column.
 */
const catalog = {
  // Errors about one field
  'field.required': ['required', 'obbligatorio'],
  'field.missingFlag': ['required (urp asks only on a terminal without --no-input)', 'obbligatorio (urp chiede solo su un terminale senza --no-input)'],
  'field.tooLong': ['too long ({length} characters, at most {limit})', 'troppo lungo ({length} caratteri, al massimo {limit})'],
  'field.invalid': ['not valid', 'non valido'],
  'field.codeFormat': ['use lower-case letters, digits, - or _ (at most {limit})', 'usare lettere minuscole, cifre, - o _ (al massimo {limit})'],
  'field.emailInvalid': ['not a valid e-mail address', 'indirizzo e-mail non valido'],
  'field.phoneInvalid': ['not a valid phone number (Italian, or international with +)', 'numero di telefono non valido (italiano, o internazionale con +)'],
  'field.integerExpected': ['a whole number from {min} to {max} is expected', 'serve un numero intero da {min} a {max}'],
  'date.invalid': ['not a valid date (use 2026-11-26, 2026-11-26T09:30 or 26/11/2026 09:30)', 'data non valida (usare 2026-11-26, 2026-11-26T09:30 o 26/11/2026 09:30)'],
  'date.future': ['in the future', 'nel futuro'],
  'update.nothing': ['nothing to change: give at least one field to update', 'niente da modificare: indicare almeno un campo'],
  'validation.several': ['{count} fields are not valid', '{count} campi non sono validi'],
  'usage.notYet': ['"{command}" is not available yet', '"{command}" non è ancora disponibile'],
  'menu.needsTerminal': ['the menu needs a terminal: use the commands (urp --help)', 'il menu richiede un terminale: usare i comandi (urp --help)'],
  'usage.unknownCommand': ['unknown command: {command}', 'comando sconosciuto: {command}'],

  // Settings
  'config.unknownKey': ['unknown setting "{key}" (known: {keys})', 'impostazione sconosciuta "{key}" (note: {keys})'],
  'config.integerExpected': ['{key} must be a whole number from {min} to {max}', '{key} deve essere un numero intero da {min} a {max}'],
  'config.timeZoneExpected': ['"{value}" is not a time zone (e.g. Europe/Rome)', '"{value}" non è un fuso orario (es. Europe/Rome)'],
  'config.holidayExpected': ['"{value}" is not a holiday: write MM-DD (every year) or YYYY-MM-DD, or none to clear the list', '"{value}" non è una festività: scrivere MM-GG (ogni anno) o AAAA-MM-GG, o none per svuotare l\'elenco'],
  'config.nameExpected': ['the name must be 1 to 200 characters, without control characters', 'il nome deve avere da 1 a 200 caratteri, senza caratteri di controllo'],
  'config.set': ['{key} set to {value}', '{key} impostato a {value}'],

  // Areas and categories
  'area.exists': ['an area with code "{code}" already exists', 'esiste già un\'area con codice "{code}"'],
  'area.unknown': ['no area "{value}" (see urp area list)', 'nessuna area "{value}" (vedere urp area list)'],
  'area.disabled': ['area "{code}" is disabled and takes no new reports', 'l\'area "{code}" è disattivata e non riceve nuove segnalazioni'],
  'area.added': ['Area {code} added', 'Area {code} aggiunta'],
  'area.updated': ['Area {code} updated', 'Area {code} aggiornata'],
  'area.disabledDone': ['Area {code} disabled: it keeps its history but takes no new assignments', 'Area {code} disattivata: conserva lo storico ma non riceve nuove assegnazioni'],
  'category.exists': ['a category with code "{code}" already exists', 'esiste già una categoria con codice "{code}"'],
  'category.unknown': ['no category "{value}" (see urp category list)', 'nessuna categoria "{value}" (vedere urp category list)'],
  'category.disabled': ['category "{code}" is disabled', 'la categoria "{code}" è disattivata'],
  'category.added': ['Category {code} added', 'Categoria {code} aggiunta'],
  'category.updated': ['Category {code} updated', 'Categoria {code} aggiornata'],
  'category.disabledDone': ['Category {code} disabled: its reports keep it, new ones cannot use it', 'Categoria {code} disattivata: le sue segnalazioni la conservano, le nuove non possono usarla'],

  // Citizens
  'taxCode.format': ['not a tax code (16 characters: 6 letters, 2 digits, 1 letter, 2 digits, 1 letter, 3 digits, 1 letter)', 'non è un codice fiscale (16 caratteri: 6 lettere, 2 cifre, 1 lettera, 2 cifre, 1 lettera, 3 cifre, 1 lettera)'],
  'taxCode.date': ['the birth date it encodes does not exist', 'la data di nascita che contiene non esiste'],
  'taxCode.check': ['wrong check character (the last letter): probably a typing error', 'carattere di controllo (ultima lettera) errato: probabilmente un errore di battitura'],
  'citizen.missing': ['no citizen: anonymous reports are not accepted (give --citizen or the citizen\'s --first-name, --last-name and a contact)', 'nessun cittadino: le segnalazioni anonime non sono accettate (indicare --citizen oppure --first-name, --last-name e un recapito del cittadino)'],
  'citizen.contactMissing': ['at least one way to reach the citizen is needed: e-mail, phone or postal address', 'serve almeno un recapito del cittadino: e-mail, telefono o indirizzo postale'],
  'citizen.eitherOr': ['give either --citizen or the citizen\'s own fields, not both', 'indicare --citizen oppure i dati del cittadino, non entrambi'],
  'citizen.idFormat': ['not a citizen number (citizens are numbered 1, 2, 3...: see urp citizen find)', 'non è un numero di cittadino (i cittadini sono numerati 1, 2, 3...: vedere urp citizen find)'],
  'citizen.unknown': ['no citizen number {id}', 'nessun cittadino numero {id}'],
  'citizen.duplicate.taxCode': ['this tax code is already registered for citizen {id} (use --citizen {id})', 'questo codice fiscale è già registrato per il cittadino {id} (usare --citizen {id})'],
  'citizen.duplicate.phone': ['a citizen with this name and phone is already registered: citizen {id} (use --citizen {id})', 'un cittadino con questo nome e telefono è già registrato: cittadino {id} (usare --citizen {id})'],
  'citizen.duplicate.email': ['this e-mail is already registered for citizen {id} (use --citizen {id})', 'questa e-mail è già registrata per il cittadino {id} (usare --citizen {id})'],
  'citizen.erased': ['citizen {id} has been erased (GDPR) and cannot be used', 'il cittadino {id} è stato cancellato (GDPR) e non può essere usato'],
  'citizen.added': ['Citizen {id} registered', 'Cittadino {id} registrato'],
  'citizen.updated': ['Citizen {id} updated', 'Cittadino {id} aggiornato'],
  'citizen.reused': ['Citizen {id} already registered: report linked to them', 'Cittadino {id} già registrato: segnalazione collegata'],
  'citizen.reusedOtherName': ['note: citizen {id} was found by tax code, e-mail or phone but is registered under another name; check with urp citizen show {id}', 'attenzione: il cittadino {id} è stato trovato per codice fiscale, e-mail o telefono ma è registrato con un altro nome; verificare con urp citizen show {id}'],
  'citizen.noneFound': ['No citizen found', 'Nessun cittadino trovato'],

  // Reports
  'report.typeUnknown': ['"{value}" is not a report type ({allowed}, or reclamo, segnalazione, suggerimento)', '"{value}" non è un tipo di segnalazione (reclamo, segnalazione, suggerimento)'],
  'report.channelUnknown': ['"{value}" is not a channel ({allowed})', '"{value}" non è un canale (telefono, cartaceo, e-mail, PEC, sportello, web)'],
  'report.statusUnknown': ['"{value}" is not a status ({allowed})', '"{value}" non è uno stato (registrata, assegnata, presa in carico, sospesa, risposta inviata, chiusa, respinta)'],
  'report.receivedInFuture': ['cannot be in the future nor after registration', 'non può essere nel futuro né successiva alla registrazione'],
  'report.externalRefExists': ['already used by report {number}', 'già usato dalla segnalazione {number}'],
  'report.numberFormat': ['not a report number (e.g. 2026/000042)', 'non è un numero di segnalazione (es. 2026/000042)'],
  'report.unknown': ['no report {number}', 'nessuna segnalazione {number}'],
  'report.registered': ['Report {number} registered', 'Segnalazione {number} registrata'],
  'report.noneFound': ['No reports', 'Nessuna segnalazione'],

  'stats.emptyPeriod': ['must not be before --from', 'non può precedere --from'],
  'stats.afterAsOf': ['is after --as-of, where the period ends unless --to says otherwise', 'è dopo --as-of, dove il periodo finisce se --to non dice altro'],

  // Workflow
  'transition.notAllowed': ['report {number} is {status}: "{action}" is not allowed (allowed: {allowed})', 'la segnalazione {number} è {status}: "{action}" non è consentito (consentiti: {allowed})'],
  'transition.sameArea': ['the report is already assigned to {area}', 'la segnalazione è già assegnata a {area}'],
  'transition.suspendedBefore': ['report {number} has already been suspended once: the reply clock can be stopped only once', 'la segnalazione {number} è già stata sospesa una volta: il termine si può sospendere una sola volta'],
  'action.atInFuture': ['cannot be in the future', 'non può essere nel futuro'],
  'action.atBeforePrevious': ['cannot be before the report\'s previous event ({previous})', 'non può precedere l\'ultimo evento della segnalazione ({previous})'],
  'reply.outcomeUnknown': ['"{value}" is not an outcome ({allowed})', '"{value}" non è un esito (risolta, non risolta, informativa, non di competenza)'],
  'reply.viaUnknown': ['"{value}" is not a way to reply ({allowed})', '"{value}" non è un mezzo di risposta (e-mail, lettera, telefono, PEC, sportello)'],
  'action.done': ['Report {number}: {from} → {to}', 'Segnalazione {number}: {from} → {to}'],
  'action.noted': ['Note added to report {number}', 'Nota aggiunta alla segnalazione {number}'],

  // Operators and permissions
  'permission.unknownOperator': ['operator "{operator}" is not known: operators are defined, so every change needs one (--operator or URP_OPERATOR)', 'l\'operatore "{operator}" non è registrato: con operatori definiti ogni modifica ne richiede uno (--operator o URP_OPERATOR)'],
  'permission.disabledOperator': ['operator "{operator}" is disabled', 'l\'operatore "{operator}" è disattivato'],
  'permission.denied': ['operator "{operator}" ({role}) is not allowed {permission}', 'l\'operatore "{operator}" ({role}) non ha il permesso {permission}'],
  'permission.notYourArea': ['operator "{operator}" is allowed {permission} only in their own areas', 'l\'operatore "{operator}" ha il permesso {permission} solo nelle proprie aree'],
  'operator.nameFormat': ['use letters, digits, . _ @ - (at most 64)', 'usare lettere, cifre, . _ @ - (al massimo 64)'],
  'operator.roleUnknown': ['"{value}" is not a role (admin, urp, area)', '"{value}" non è un ruolo (admin, urp, area)'],
  'operator.firstMustBeAdmin': ['the first operator must be an admin, who can then add the others', 'il primo operatore deve essere un admin, che poi aggiunge gli altri'],
  'operator.exists': ['an operator "{name}" already exists', 'esiste già un operatore "{name}"'],
  'operator.unknown': ['no operator "{name}"', 'nessun operatore "{name}"'],
  'operator.areaRequired': ['an area operator needs at least one --area', 'un operatore di area richiede almeno una --area'],
  'operator.areaOnlyForArea': ['only operators with role "area" belong to areas', 'solo gli operatori con ruolo "area" appartengono ad aree'],
  'operator.lastAdmin': ['the last active admin cannot be disabled', 'l\'ultimo admin attivo non può essere disattivato'],
  'operator.added': ['Operator {name} added ({role})', 'Operatore {name} aggiunto ({role})'],
  'operator.disabled': ['Operator {name} disabled', 'Operatore {name} disattivato'],

  // Import and export
  'import.refused': ['{count} errors in {rows} rows: nothing was imported (fix the file, or use --skip-invalid --rejects FILE)', '{count} errori in {rows} righe: nulla è stato importato (correggere il file, o usare --skip-invalid --rejects FILE)'],
  'import.notUtf8': ['the file is not UTF-8 (line {line}): it looks like Latin-1 / Windows-1252, as older Excel saves it. Convert it (iconv -f WINDOWS-1252 -t UTF-8 file.csv > file-utf8.csv, or save as "CSV UTF-8") or import it with --encoding latin1', 'il file non è in UTF-8 (riga {line}): sembra Latin-1 / Windows-1252, come lo salvano le versioni meno recenti di Excel. Convertirlo (iconv -f WINDOWS-1252 -t UTF-8 file.csv > file-utf8.csv, o salvare come "CSV UTF-8") o importarlo con --encoding latin1'],
  'import.cannotRead': ['cannot read {path}', 'impossibile leggere {path}'],
  'import.empty': ['the file holds no reports', 'il file non contiene segnalazioni'],
  'import.unknownColumn': ['unknown column "{column}" (see the README for the column names)', 'colonna sconosciuta "{column}" (i nomi delle colonne sono nel README)'],
  'import.unknownField': ['unknown field "{column}"', 'campo sconosciuto "{column}"'],
  'import.duplicateColumn': ['the column "{column}" appears twice', 'la colonna "{column}" compare due volte'],
  'import.missingColumn': ['required column missing: {column}', 'manca una colonna obbligatoria: {column}'],
  'import.csvMalformed': ['the line cannot be read as CSV ({problem}: a quote opened and not closed?)', 'la riga non si può leggere come CSV ({problem}: virgolette aperte e non chiuse?)'],
  'import.fieldCount': ['{count} fields where the header has {expected}', '{count} campi dove l\'intestazione ne ha {expected}'],
  'import.jsonMalformed': ['not a valid JSON object', 'non è un oggetto JSON valido'],
  'import.jsonNotArray': ['a .json file must hold an array of reports ([{...}, {...}]); use .jsonl for one object per line', 'un file .json deve contenere un array di segnalazioni ([{...}, {...}]); usare .jsonl per un oggetto per riga'],
  'import.jsonTruncated': ['the JSON ends before the array is closed (line {line}): the file is truncated', 'il JSON finisce prima che l\'array sia chiuso (riga {line}): il file è troncato'],
  'import.milestoneMissing': ['required for status "{status}"', 'obbligatorio per lo stato "{status}"'],
  'import.milestoneUnexpected': ['not allowed with status "{status}"', 'non ammesso con lo stato "{status}"'],
  'import.milestoneOrder': ['earlier than {previous}: milestones must be in order', 'precedente a {previous}: le date devono essere in ordine'],
  'import.numberTaken': ['number {number} is already used', 'il numero {number} è già usato'],
  'import.refConflict': ['reference "{ref}" appears earlier in the file with different contents', 'il riferimento "{ref}" compare prima nel file con contenuto diverso'],
  'import.rowError': ['line {line}, field {field}: {message}', 'riga {line}, campo {field}: {message}'],
  'import.lineError': ['line {line}: {message}', 'riga {line}: {message}'],
  'import.moreErrors': ['... and {count} more errors', '... e altri {count} errori'],
  'import.summary': ['read {read}, imported {imported}, skipped {skipped}, rejected {rejected}, {seconds} s, {rate} rows/s', 'lette {read}, importate {imported}, saltate {skipped}, scartate {rejected}, {seconds} s, {rate} righe/s'],
  'import.dryRun': ['dry run: nothing was written', 'prova: nulla è stato scritto'],
  'import.rejectsWritten': ['rejected rows written to {path}', 'righe scartate scritte in {path}'],
  'import.rejectsRequired': ['--skip-invalid needs --rejects FILE, where the rejected rows go', '--skip-invalid richiede --rejects FILE, dove vanno le righe scartate'],
  'output.isDatabase': ['{path} is the database: writing there would destroy it; choose another file', '{path} è il database: scriverci lo distruggerebbe; scegliere un altro file'],
  'output.isInput': ['{path} is the file being read: choose another file', '{path} è il file che si sta leggendo: scegliere un altro file'],
  'output.cannotWrite': ['cannot write {path} (does its folder exist, is it writable?)', 'impossibile scrivere {path} (la cartella esiste, è scrivibile?)'],
  'export.written': ['{count} reports written to {path}', '{count} segnalazioni scritte in {path}'],

  // Reliability and privacy
  'backup.samePath': ['the backup cannot be the database itself', 'il backup non può essere il database stesso'],
  'backup.notADatabase': ['{path} is not a urp database', '{path} non è un database di urp'],
  'backup.schemaDiffers': ['the backup has schema version {found}, this database {expected}: migrate it first (urp --db BACKUP db migrate)', 'il backup ha lo schema {found}, questo database {expected}: migrarlo prima (urp --db BACKUP db migrate)'],
  'backup.unsound': ['the backup fails its check (problems: {count}): not restored', 'il backup non supera il controllo (problemi: {count}): non ripristinato'],
  'backup.cannotWrite': ['cannot write {path} (does its folder exist, is it writable?)', 'impossibile scrivere {path} (la cartella esiste, è scrivibile?)'],
  'backup.notOverwritten': ['{path} exists and is not a database: not overwritten', '{path} esiste e non è un database: non viene sovrascritto'],
  'db.missing': ['there is no database at {path}: check --db or URP_DB, or create it with urp init', 'non esiste un database in {path}: controllare --db o URP_DB, o crearlo con urp init'],
  'db.cannotOpen': ['cannot open the database {path} (is it a folder, or in a folder you cannot write?)', 'impossibile aprire il database {path} (è una cartella, o in una cartella non scrivibile?)'],
  'db.notADatabase': ['{path} is not a database (a file of another kind, or damaged beyond its first page)', '{path} non è un database (un file di altro tipo, o danneggiato fin dalla prima pagina)'],
  'import.isFolder': ['{path} is a folder, not a file', '{path} è una cartella, non un file'],
  'backup.written': ['Backup written to {path} and checked', 'Backup scritto in {path} e verificato'],
  'backup.restored': ['Database restored from {path} (the previous contents saved in {saved})', 'Database ripristinato da {path} (il contenuto precedente è salvato in {saved})'],
  'check.sound': ['Database sound: integrity, foreign keys and {count} reports checked', 'Database integro: integrità, chiavi esterne e {count} segnalazioni verificate'],
  'check.problems': ['problems found: {count}', 'problemi trovati: {count}'],
  'confirm.needYes': ['this changes data for good: add --yes to confirm (no prompts without a terminal)', 'questa operazione modifica i dati in modo definitivo: aggiungere --yes per confermare (nessuna domanda senza terminale)'],
  'confirm.erase': ['Erase the personal data of citizen {id}? Their {count} reports stay, under a pseudonym', 'Cancellare i dati personali del cittadino {id}? Le sue {count} segnalazioni restano, con uno pseudonimo'],
  'confirm.retention': ['Erase the personal data of {count} citizens past retention?', 'Cancellare i dati personali di {count} cittadini oltre il periodo di conservazione?'],
  'confirm.restore': ['Replace the whole database with the backup {path}?', 'Sostituire tutto il database con il backup {path}?'],
  'privacy.openReports': ['citizen {id} has {count} open reports: erase them later, or use --force', 'il cittadino {id} ha {count} segnalazioni aperte: cancellarlo più tardi, o usare --force'],
  'privacy.durationFormat': ['write a duration as 5y, 18m or 90d (years, months, days)', 'scrivere una durata come 5y, 18m o 90d (anni, mesi, giorni)'],
  'privacy.erased': ['Citizen {id} erased: {reports} reports kept under pseudonym {pseudonym}', 'Cittadino {id} cancellato: {reports} segnalazioni conservate con lo pseudonimo {pseudonym}'],
  'privacy.retention': ['{count} citizens past retention erased ({reports} reports kept)', '{count} cittadini oltre il periodo di conservazione cancellati ({reports} segnalazioni conservate)'],
  'privacy.retentionDryRun': ['{count} citizens are past retention (dry run: nothing erased)', '{count} cittadini sono oltre il periodo di conservazione (prova: nulla cancellato)'],

  // Database
  'database.newerSchema': ['this database was written by a newer urp (schema {version}): update urp', 'questo database è stato scritto da una versione più recente di urp (schema {version}): aggiornare urp'],
  'database.cannotOpen': ['cannot open the database {path}: {reason}', 'impossibile aprire il database {path}: {reason}'],
  'database.migrated': ['Database up to date ({count} migrations applied)', 'Database aggiornato ({count} migrazioni applicate)'],
  'database.upToDate': ['Database already up to date', 'Database già aggiornato'],
  'init.done': ['Database ready: {path}', 'Database pronto: {path}'],
  'init.demoLoaded': ['Demo data loaded: {areas} areas, {categories} categories, {citizens} citizens, {reports} reports', 'Dati dimostrativi caricati: {areas} aree, {categories} categorie, {citizens} cittadini, {reports} segnalazioni'],
  'init.demoNotEmpty': ['the database already holds reports: demo data goes only into an empty database', 'il database contiene già segnalazioni: i dati dimostrativi vanno solo in un database vuoto'],

  // Documents: the reply letter, reply templates, the review pack (issue 15)
  'config.textExpected': ['{key} must be at most {limit} characters, without control characters or line breaks (none clears it)', '{key} deve avere al massimo {limit} caratteri, senza caratteri di controllo né a capo (none lo svuota)'],
  'config.blockExpected': ['{key} must be at most {limit} characters; line breaks are allowed, other control characters are not (none clears it)', '{key} deve avere al massimo {limit} caratteri; gli a capo sono ammessi, gli altri caratteri di controllo no (none lo svuota)'],
  'config.logoUnreadable': ['cannot read {path} (does it exist, is it a readable file?)', 'impossibile leggere {path} (esiste, è un file leggibile?)'],
  'config.logoNotImage': ['{path} is neither a PNG nor a JPEG image', '{path} non è un\'immagine PNG né JPEG'],
  'letter.logoUnreadable': ['the letterhead logo {path} (setting letterhead-logo) cannot be read any more: put it back or change the setting', 'il logo della carta intestata {path} (impostazione letterhead-logo) non è più leggibile: ripristinarlo o cambiare l\'impostazione'],
  'letter.citizenErased': ['the citizen of report {number} has been erased (GDPR): there is nobody to write to', 'il cittadino della segnalazione {number} è stato cancellato (GDPR): non c\'è nessuno a cui scrivere'],
  'letter.written': ['Letter for report {number} written to {path}', 'Lettera per la segnalazione {number} scritta in {path}'],
  'letter.draftWritten': ['Draft letter for report {number} (not answered yet) written to {path}', 'Bozza di lettera per la segnalazione {number} (non ancora risposta) scritta in {path}'],
  'letter.noAddress': ['note: citizen {id} has no postal address: the window of the envelope shows the name only', 'attenzione: il cittadino {id} non ha un indirizzo postale: la finestra della busta mostra solo il nome'],
  'output.terminal': ['a {format} file is not for a terminal: give --output FILE, or pipe it (--output - | lpr)', 'un file {format} non è per il terminale: indicare --output FILE, o passarlo a un altro comando (--output - | lpr)'],
  'review.written': ['Review pack {from} – {to} written to {path}', 'Documento di riesame {from} – {to} scritto in {path}'],
  'template.exists': ['a reply template with code "{code}" already exists', 'esiste già un modello di risposta con codice "{code}"'],
  'template.unknown': ['no reply template "{value}" (see urp reply-template list)', 'nessun modello di risposta "{value}" (vedere urp reply-template list)'],
  'template.disabled': ['reply template "{code}" is disabled', 'il modello di risposta "{code}" è disattivato'],
  'template.unknownField': ['unknown field {{field}} (known: {known})', 'campo sconosciuto {{field}} (noti: {known})'],
  'template.added': ['Reply template {code} added', 'Modello di risposta {code} aggiunto'],
  'template.disabledDone': ['Reply template {code} disabled', 'Modello di risposta {code} disattivato'],
  'template.withText': ['give either --text or --template, not both', 'indicare --text oppure --template, non entrambi'],
  'template.noneFound': ['No reply templates', 'Nessun modello di risposta'],
  'editor.failed': ['the editor ({editor}) ended with status {status}: nothing was recorded (set VISUAL or EDITOR)', 'l\'editor ({editor}) è terminato con stato {status}: nulla è stato registrato (impostare VISUAL o EDITOR)'],

  // Prompts and the entry point
  'prompt.cancelled': ['Cancelled: nothing was written', 'Annullato: nulla è stato scritto'],
  'error.unexpected': ['unexpected error: {message}', 'errore imprevisto: {message}'],
  'error.hint': ['This is a bug in urp: run again with --debug and report what it prints.', 'Questo è un difetto di urp: rieseguire con --debug e segnalare ciò che stampa.'],
  'error.prefix': ['error', 'errore'],
  'usage.error': ['{message}', '{message}'],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageKey = keyof typeof catalog;
export type MessageParams = Readonly<Record<string, string | number>>;

/** The message in a language, placeholders filled in. */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  const template = catalog[key][language === 'it' ? 1 : 0];
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}
