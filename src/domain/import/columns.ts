import { fold } from '../../text/fold.js';

/**
 * The columns of import and export files (SPEC section 6): each field has an
 * English name (snake_case in CSV, camelCase in JSON) and an Italian one, and
 * header matching ignores case, accents, spaces and dashes. Export writes the
 * English names; import accepts either.
 */
export const COLUMNS = [
  // field, csv name, Italian name
  ['type', 'type', 'tipo'],
  ['channel', 'channel', 'canale'],
  ['receivedAt', 'received_at', 'data'],
  ['firstName', 'first_name', 'nome'],
  ['lastName', 'last_name', 'cognome'],
  ['taxCode', 'tax_code', 'codice_fiscale'],
  ['email', 'email', 'email'],
  ['phone', 'phone', 'telefono'],
  ['address', 'address', 'indirizzo'],
  ['subject', 'subject', 'oggetto'],
  ['description', 'description', 'descrizione'],
  ['category', 'category', 'categoria'],
  ['area', 'area', 'area'],
  ['location', 'location', 'luogo'],
  ['externalRef', 'external_ref', 'riferimento'],
  // History of a previous register (optional).
  ['number', 'number', 'numero'],
  ['status', 'status', 'stato'],
  ['registeredAt', 'registered_at', 'data_registrazione'],
  ['assignedAt', 'assigned_at', 'data_assegnazione'],
  ['acknowledgedAt', 'acknowledged_at', 'data_presa_in_carico'],
  ['suspendedAt', 'suspended_at', 'data_sospensione'],
  ['answeredAt', 'answered_at', 'data_risposta'],
  ['replyText', 'reply_text', 'testo_risposta'],
  ['replyVia', 'reply_via', 'risposta_tramite'],
  ['outcome', 'outcome', 'esito'],
  ['closedAt', 'closed_at', 'data_chiusura'],
  ['rejectedAt', 'rejected_at', 'data_rifiuto'],
] as const;

export type ImportField = (typeof COLUMNS)[number][0];

/**
 * Columns that urp's own export writes for people and other systems, and
 * that import reads past: deadlines and flags it computes again itself.
 */
export const INFORMATIONAL_COLUMNS = [
  ['assignDueAt', 'assign_due_at'],
  ['replyDueAt', 'reply_due_at'],
  ['lateToAssign', 'late_to_assign'],
  ['lateToReply', 'late_to_reply'],
  ['citizenId', 'citizen_id'],
  ['suspendedDays', 'suspended_days'],
  ['reopenCount', 'reopen_count'],
] as const;

function normaliseHeader(text: string): string {
  return fold(text).replace(/[\s-]+/g, '_');
}

const byHeader = new Map<string, ImportField | null>();
for (const [field, english, italian] of COLUMNS) {
  byHeader.set(normaliseHeader(english), field);
  byHeader.set(normaliseHeader(italian), field);
  byHeader.set(normaliseHeader(field), field);
}
// A few names Italian offices use for the same things.
for (const [alias, field] of [
  ['data_ricezione', 'receivedAt'],
  ['data_segnalazione', 'receivedAt'],
  ['cf', 'taxCode'],
  ['e_mail', 'email'],
  ['mail', 'email'],
  ['cellulare', 'phone'],
  ['protocollo', 'externalRef'],
  ['via', 'location'],
] as const) {
  byHeader.set(alias, field);
}
for (const [field, english] of INFORMATIONAL_COLUMNS) {
  byHeader.set(normaliseHeader(english), null);
  byHeader.set(normaliseHeader(field), null);
}

/** The field a header names, null for a column to read past, undefined when unknown. */
export function fieldForHeader(header: string): ImportField | null | undefined {
  return byHeader.get(normaliseHeader(header));
}

export const CSV_NAME: Record<ImportField, string> = Object.fromEntries(COLUMNS.map(([field, english]) => [field, english])) as Record<ImportField, string>;
