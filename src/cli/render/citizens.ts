import type { Citizen } from '../../domain/citizens.js';
import { emailForPeople, phoneForPeople } from '../../domain/contacts.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { safeLine } from '../terminal-text.js';
import { formatDate } from './dates.js';

export function citizenName(citizen: Pick<Citizen, 'firstName' | 'lastName'>): string {
  return `${citizen.lastName} ${citizen.firstName}`;
}

/**
 * Contacts as people read them: the phone in its country's style (`333 123 4567`,
 * `+44 20 7946 0958`), the e-mail's domain in Unicode. Data for programs
 * (--json, --csv, export) keeps the stored forms (E.164, punycode).
 */
export function contactsForPeople(citizen: Pick<Citizen, 'email' | 'phone'>): { email: string | null; phone: string | null } {
  return { email: citizen.email && emailForPeople(citizen.email), phone: citizen.phone && phoneForPeople(citizen.phone) };
}

/** Columns for a list of citizens: for people (a table, plain lines), or as stored with `forPeople: false` (CSV). */
export function citizenColumns(context: CliContext, timeZone: string, { forPeople = true }: { forPeople?: boolean } = {}): Column<Citizen>[] {
  const it = context.language === 'it';
  const contacts = (citizen: Citizen) => (forPeople ? contactsForPeople(citizen) : citizen);
  return [
    { header: 'id', value: (citizen) => String(citizen.id), right: true },
    { header: it ? 'cognome e nome' : 'name', value: citizenName },
    { header: it ? 'codice fiscale' : 'tax code', value: (citizen) => citizen.taxCode ?? '' },
    { header: 'e-mail', value: (citizen) => contacts(citizen).email ?? '' },
    { header: it ? 'telefono' : 'phone', value: (citizen) => contacts(citizen).phone ?? '' },
    { header: it ? 'indirizzo' : 'address', value: (citizen) => citizen.address ?? '' },
    { header: it ? 'dal' : 'since', value: (citizen) => formatDate(citizen.createdAt, timeZone, context.language, context.output.rich) },
  ];
}

/** One citizen as label/value lines. */
export function citizenFields(context: CliContext, citizen: Citizen, timeZone: string): Array<[string, string]> {
  const it = context.language === 'it';
  const pairs: Array<[string, string]> = [
    [it ? 'Cittadino' : 'Citizen', String(citizen.id)],
    [it ? 'Cognome e nome' : 'Name', safeLine(citizenName(citizen))],
    [it ? 'Codice fiscale' : 'Tax code', citizen.taxCode ?? '—'],
    ['E-mail', contactsForPeople(citizen).email ?? '—'],
    ['PEC', citizen.pec ?? '—'],
    [it ? 'Telefono' : 'Phone', contactsForPeople(citizen).phone ?? '—'],
    [it ? 'Indirizzo' : 'Address', safeLine(citizen.address ?? '—')],
    [it ? 'Registrato il' : 'Registered on', formatDate(citizen.createdAt, timeZone, context.language, context.output.rich)],
  ];
  if (citizen.erasedAt) {
    pairs.push([it ? 'Cancellato il' : 'Erased on', formatDate(citizen.erasedAt, timeZone, context.language, context.output.rich)]);
  }
  return pairs;
}
