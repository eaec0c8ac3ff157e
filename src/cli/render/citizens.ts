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
  const contacts = (citizen: Citizen) => (forPeople ? contactsForPeople(citizen) : citizen);
  return [
    { header: 'id', value: (citizen) => String(citizen.id), right: true },
    { header: context.t('column.fullNameCitizen'), value: citizenName, shrink: true },
    { header: context.t('column.taxCode'), value: (citizen) => citizen.taxCode ?? '' },
    { header: context.t('column.email'), value: (citizen) => contacts(citizen).email ?? '' },
    { header: context.t('column.phone'), value: (citizen) => contacts(citizen).phone ?? '' },
    { header: context.t('column.address'), value: (citizen) => citizen.address ?? '', shrink: true, drop: 1 },
    { header: context.t('column.since'), value: (citizen) => formatDate(citizen.createdAt, timeZone, context.language, context.output.rich) },
  ];
}

/** One citizen as label/value lines. */
export function citizenFields(context: CliContext, citizen: Citizen, timeZone: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [
    [context.t('show.citizen'), String(citizen.id)],
    [context.t('citizen.show.name'), safeLine(citizenName(citizen))],
    [context.t('citizen.show.taxCode'), citizen.taxCode ?? '—'],
    ['E-mail', contactsForPeople(citizen).email ?? '—'],
    ['PEC', citizen.pec ?? '—'],
    [context.t('citizen.show.phone'), contactsForPeople(citizen).phone ?? '—'],
    [context.t('citizen.show.address'), safeLine(citizen.address ?? '—')],
    [context.t('citizen.show.registered'), formatDate(citizen.createdAt, timeZone, context.language, context.output.rich)],
  ];
  if (citizen.erasedAt) {
    pairs.push([context.t('citizen.show.erased'), formatDate(citizen.erasedAt, timeZone, context.language, context.output.rich)]);
  }
  return pairs;
}
