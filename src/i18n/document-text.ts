import type { DocumentLanguage as Language } from '../domain/vocabulary.js';

/**
 * The text of the documents people sign and read (issue 15): the reply
 * letter and the review pack, in English and Italian. Kept apart from
 * messages.ts (what the terminal says) because only the document commands
 * load it. Placeholders are written {name}.
 */
const catalog = {
  // The reply letter
  'letter.title': ['Reply to report {number}', 'Risposta alla segnalazione {number}'],
  'letter.office': ['Public Relations Office (URP)', 'Ufficio Relazioni con il Pubblico'],
  'letter.report': ['Report no. {number}', 'Segnalazione n. {number}'],
  'letter.received': ['received on {date}', 'ricevuta il {date}'],
  'letter.area': ['Area: {area}', 'Area: {area}'],
  'letter.manager': ['Manager: {manager}', 'Responsabile: {manager}'],
  'letter.subject': ['Subject: reply to report no. {number} – {subject}', 'Oggetto: risposta alla segnalazione n. {number} – {subject}'],
  'letter.salutation': ['Dear {name},', 'Gentile {name},'],
  'letter.opening': ['in reply to your report of {date} ("{subject}"), we inform you as follows.', 'in riferimento alla Sua segnalazione del {date} ("{subject}"), Le comunichiamo quanto segue.'],
  'letter.outcome': ['Outcome: {outcome}. {sentence}', 'Esito: {outcome}. {sentence}'],
  'letter.outcome.resolved': ['The problem you reported has been resolved.', 'Il problema segnalato è stato risolto.'],
  'letter.outcome.unresolved': ['It has not been possible to resolve the problem you reported.', 'Non è stato possibile risolvere il problema segnalato.'],
  'letter.outcome.information': ['This reply gives the information requested.', 'La presente risposta fornisce le informazioni richieste.'],
  'letter.outcome.not_competent': ['The matter is not within the competence of this administration.', "La questione non è di competenza di questa amministrazione."],
  'letter.handledBy': ['Your report was handled by the {area} area.', "La Sua segnalazione è stata trattata dall'area {area}."],
  'letter.handledByManager': ['Your report was handled by the {area} area (manager: {manager}).', "La Sua segnalazione è stata trattata dall'area {area} (responsabile: {manager})."],
  'letter.contact': ['For any further information please contact the Public Relations Office (URP), quoting the number of your report:', "Per ogni ulteriore informazione può rivolgersi all'Ufficio Relazioni con il Pubblico, citando il numero della segnalazione:"],
  'letter.contactPlain': ['For any further information please contact the Public Relations Office (URP), quoting the number of your report.', "Per ogni ulteriore informazione può rivolgersi all'Ufficio Relazioni con il Pubblico, citando il numero della segnalazione."],
  'letter.phone': ['phone {value}', 'tel. {value}'],
  'letter.email': ['e-mail {value}', 'e-mail {value}'],
  'letter.hours': ['opening hours: {value}', 'orario di apertura: {value}'],
  'letter.closing': ['Yours sincerely,', 'Distinti saluti.'],
  'letter.signatory': ['The Public Relations Office', "L'Ufficio Relazioni con il Pubblico"],
  'letter.page': ['page {page} of {pages}', 'pagina {page} di {pages}'],
  'letter.draft': ['DRAFT', 'BOZZA'],
  'letter.draftNotice': ['Draft: the report has not been answered yet; the reply and its outcome are still to be written.', 'Bozza: la segnalazione non ha ancora una risposta; il testo e l\'esito sono da definire.'],
  'letter.draftText': ['[The text of the reply.]', '[Testo della risposta.]'],
  'letter.draftOutcome': ['Outcome: to be decided.', 'Esito: da definire.'],

  // The review pack
  'review.title': ['Complaints and reports handling: management review', 'Gestione di reclami e segnalazioni: riesame della direzione'],
  'review.subtitle': ['Reports received {from} – {to}; figures as of {asOf}', 'Segnalazioni ricevute {from} – {to}; dati al {asOf}'],
  'review.previous': ['Previous period: {from} – {to}', 'Periodo precedente: {from} – {to}'],
  'review.generated': ['Produced by urp on {date}. Every figure has its definition in a note; the same figures are given by urp stats for the same period.', 'Prodotto da urp il {date}. Ogni dato ha la sua definizione in nota; gli stessi dati sono dati da urp stats per lo stesso periodo.'],
  'review.notes': ['Notes', 'Note'],
  'review.figure': ['figure', 'indicatore'],
  'review.value': ['this period', 'periodo'],
  'review.previousValue': ['previous period', 'periodo precedente'],
  'review.change': ['change', 'variazione'],
  'review.share': ['share', 'quota'],
  'review.cumulative': ['cumulative', 'cumulata'],
  'review.count': ['reports', 'segnalazioni'],
  'review.none': ['(none)', '(nessuna)'],
  'review.other': ['others', 'altre'],
  'review.yes': ['yes', 'sì'],
  'review.no': ['no', 'no'],
  'review.notMeasured': ['not measured', 'non misurato'],
  'review.days': ['{value} days', '{value} giorni'],
  'review.hours': ['{value} hours', '{value} ore'],

  'review.section.summary': ['1. Summary', '1. Sintesi'],
  'review.section.targets': ['2. Targets and results', '2. Obiettivi e risultati'],
  'review.section.timeliness': ['3. Timeliness', '3. Tempestività'],
  'review.section.volumes': ['4. Volumes', '4. Volumi'],
  'review.section.backlog': ['5. Backlog by age', '5. Arretrato per età'],
  'review.section.outcomes': ['6. Outcomes, reopened reports, frequent citizens', '6. Esiti, riaperture, cittadini ricorrenti'],
  'review.section.pareto': ['7. Most frequent categories and places', '7. Categorie e luoghi più frequenti'],

  'review.received': ['received', 'ricevute'],
  'review.rejected': ['rejected', 'respinte'],
  'review.answered': ['answered', 'con risposta'],
  'review.open': ['open now', 'aperte ora'],
  'review.lateNow': ['late now', 'in ritardo ora'],
  'review.assignedOnTime': ['assigned on time', 'assegnate nei termini'],
  'review.answeredOnTime': ['answered on time', 'risposte nei termini'],
  'review.medianDays': ['median days to reply', 'giorni per la risposta (mediana)'],
  'review.p90Days': ['90th percentile days to reply', 'giorni per la risposta (90° percentile)'],
  'review.medianHours': ['median hours to assign', "ore per l'assegnazione (mediana)"],
  'review.p90Hours': ['90th percentile hours to assign', "ore per l'assegnazione (90° percentile)"],
  'review.reopened': ['reports reopened', 'segnalazioni riaperte'],
  'review.reopenings': ['reopenings', 'riaperture'],
  'review.repeatCitizens': ['citizens with {minimum} or more reports', 'cittadini con {minimum} o più segnalazioni'],
  'review.repeatReports': ['their reports', 'loro segnalazioni'],
  'review.ratio': ['{percent} ({count} of {of})', '{percent} ({count} su {of})'],

  'review.target': ['target', 'obiettivo'],
  'review.result': ['result', 'risultato'],
  'review.met': ['met', 'raggiunto'],
  'review.target.target-on-time-reply': ['replies on time', 'risposte nei termini'],
  'review.target.target-on-time-assign': ['assignments on time', 'assegnazioni nei termini'],
  'review.target.target-median-reply-days': ['median days to reply, at most', 'giorni per la risposta (mediana), al massimo'],

  'review.chart.areas': ['Replies on time per area (percent)', 'Risposte nei termini per area (percentuale)'],
  'review.chart.months': ['Replies on time per month (percent)', 'Risposte nei termini per mese (percentuale)'],
  'review.chart.categories': ['Reports per category (Pareto)', 'Segnalazioni per categoria (Pareto)'],
  'review.chart.places': ['Reports per place (Pareto)', 'Segnalazioni per luogo (Pareto)'],
  'review.chart.targetLine': ['target {value}%', 'obiettivo {value}%'],
  'review.chart.empty': ['nothing to show in this period', 'niente da mostrare in questo periodo'],

  'review.column.area': ['area', 'area'],
  'review.column.type': ['type', 'tipo'],
  'review.column.channel': ['channel', 'canale'],
  'review.column.category': ['category', 'categoria'],
  'review.column.month': ['month', 'mese'],
  'review.column.place': ['place', 'luogo'],
  'review.column.age': ['days since receipt', 'giorni dal ricevimento'],
  'review.column.outcome': ['outcome', 'esito'],
  'review.volumes.type': ['By type', 'Per tipo'],
  'review.volumes.channel': ['By channel', 'Per canale'],
  'review.volumes.area': ['By area', 'Per area'],
  'review.volumes.category': ['By category', 'Per categoria'],
  'review.volumes.month': ['By month', 'Per mese'],
  'review.age.0-7': ['0 to 7', 'da 0 a 7'],
  'review.age.8-30': ['8 to 30', 'da 8 a 30'],
  'review.age.31-60': ['31 to 60', 'da 31 a 60'],
  'review.age.over60': ['over 60', 'oltre 60'],
  'review.total': ['total', 'totale'],

  // The definitions, one per figure (as in the README and statistics.ts)
  'review.note.received': ['Received: reports received in the period (by date of receipt, Rome time), rejected ones included.', 'Ricevute: segnalazioni ricevute nel periodo (per data di ricevimento, ora di Roma), comprese le respinte.'],
  'review.note.rejected': ['Rejected: of those, not admissible (duplicate, not our competence); they count in no other figure except received and answered.', 'Respinte: tra queste, non ammissibili (doppione, non di competenza); non contano in nessun altro dato salvo ricevute e con risposta.'],
  'review.note.answered': ['Answered: answered at least once (a reopened report counts its first answer).', 'Con risposta: con almeno una risposta (una segnalazione riaperta conta la prima).'],
  'review.note.open': ['Open now: registered, assigned, taken in charge or suspended at the as-of moment.', 'Aperte ora: registrate, assegnate, prese in carico o sospese al momento del calcolo.'],
  'review.note.lateNow': ['Late now: late to assign (registered past the assignment deadline) or late to reply (not answered past the reply deadline, never while suspended) at the as-of moment.', "In ritardo ora: da assegnare oltre il termine di assegnazione o senza risposta oltre il termine di risposta (mai mentre sospese), al momento del calcolo."],
  'review.note.assignedOnTime': ['Assigned on time: first assignment no later than the first assignment deadline ({hours} hours from receipt), out of the reports assigned plus those still unassigned past their deadline.', 'Assegnate nei termini: prima assegnazione entro il primo termine di assegnazione ({hours} ore dal ricevimento), sul totale delle assegnate più quelle ancora da assegnare oltre il termine.'],
  'review.note.answeredOnTime': ['Answered on time: first answer no later than the reply deadline then in force ({days} days, suspended days included), out of the reports answered plus those open and already late, which count as not on time; a suspended report not yet answered is not counted.', 'Risposte nei termini: prima risposta entro il termine di risposta allora in vigore ({days} giorni, compresi i giorni di sospensione), sul totale delle risposte più le segnalazioni aperte e già in ritardo, che contano come fuori termine; una segnalazione sospesa senza risposta non è contata.'],
  'review.note.days': ['Days to reply: calendar time from receipt to the first answer (suspensions included: the citizen waited); median, and 90th percentile by nearest rank.', 'Giorni per la risposta: tempo di calendario dal ricevimento alla prima risposta (comprese le sospensioni: il cittadino ha atteso); mediana e 90° percentile (rango più vicino).'],
  'review.note.hours': ['Hours to assign: from receipt to the first assignment; median, and 90th percentile by nearest rank.', "Ore per l'assegnazione: dal ricevimento alla prima assegnazione; mediana e 90° percentile (rango più vicino)."],
  'review.note.reopened': ['Reopened: reports of the period reopened at least once after being closed or rejected; reopenings counts every reopening.', 'Riaperte: segnalazioni del periodo riaperte almeno una volta dopo la chiusura o il rifiuto; le riaperture contano ogni riapertura.'],
  'review.note.repeat': ['Frequent citizens: citizens with {minimum} or more reports received in the period, and how many reports they made; counts only, no names.', 'Cittadini ricorrenti: cittadini con {minimum} o più segnalazioni ricevute nel periodo, e quante ne hanno fatte; solo conteggi, nessun nome.'],
  'review.note.previous': ['Previous period: the period of the same length just before (the same number of months when the period is made of whole months, else of days); its volumes are counted as this period\'s.', 'Periodo precedente: il periodo della stessa durata immediatamente prima (lo stesso numero di mesi quando il periodo è fatto di mesi interi, altrimenti di giorni); i suoi volumi sono contati come quelli del periodo.'],
  'review.note.monthsNotCompared': ['Months are compared with the previous period only when both are made of whole months.', 'I mesi sono confrontati con il periodo precedente solo quando entrambi sono fatti di mesi interi.'],
  'review.note.targets': ['Targets: the settings target-on-time-reply, target-on-time-assign and target-median-reply-days (urp config set); met when the result is at least the target (at most, for days).', 'Obiettivi: le impostazioni target-on-time-reply, target-on-time-assign e target-median-reply-days (urp config set); raggiunto quando il risultato è almeno l\'obiettivo (al massimo, per i giorni).'],
  'review.note.areas': ['Per area: the area the report is assigned to now (its first assignment counts for the on-time figures).', "Per area: l'area a cui la segnalazione è assegnata ora (per i termini conta la prima assegnazione)."],
  'review.note.backlog': ['Backlog: the reports received in the period and open now, by whole days elapsed from receipt to the as-of moment; together they are the open reports.', 'Arretrato: le segnalazioni ricevute nel periodo e aperte ora, per giorni interi trascorsi dal ricevimento al momento del calcolo; in tutto sono le aperte.'],
  'review.note.outcomes': ['Outcomes: of the reports now answered or closed, the latest outcome.', "Esiti: delle segnalazioni ora con risposta o chiuse, l'esito più recente."],
  'review.note.paretoCategories': ['Pareto of categories: reports received per category, most frequent first, with the running share of the total; beyond the first ten, the others together.', 'Pareto delle categorie: segnalazioni ricevute per categoria, dalla più frequente, con la quota cumulata sul totale; oltre le prime dieci, le altre insieme.'],
  'review.note.paretoPlaces': ['Pareto of places: reports with a location, grouped by the place as typed without case, accents, punctuation and house number ("Via Roma, 12" and "via roma 14" are one street).', 'Pareto dei luoghi: segnalazioni con un luogo, raggruppate per luogo scritto senza maiuscole, accenti, punteggiatura e numero civico ("Via Roma, 12" e "via roma 14" sono una via).'],
} as const satisfies Record<string, readonly [string, string]>;

export type DocumentTextKey = keyof typeof catalog;

export function documentText(language: Language, key: DocumentTextKey, params: Readonly<Record<string, string | number>> = {}): string {
  return catalog[key][language === 'it' ? 1 : 0].replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? String(params[name]) : placeholder));
}

const MONTHS = {
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;

/** "1 dicembre 2026" / "1 December 2026". */
export function longDate(date: { year: number; month: number; day: number }, language: Language): string {
  return `${date.day} ${MONTHS[language][date.month - 1]} ${date.year}`;
}

/** "dic 2026" / "Dec 2026": a month on a chart's axis. */
export function shortMonth(key: string, language: Language): string {
  const [year, month] = key.split('-').map(Number) as [number, number];
  return `${MONTHS[language][month - 1]!.slice(0, 3)} ${year}`;
}
