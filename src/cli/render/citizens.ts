import type { Citizen } from '../../domain/citizens.js';
import type { CliContext } from '../context.js';
import type { Column } from '../output.js';
import { safeLine } from '../terminal-text.js';
import { formatDate } from './dates.js';

export function citizenName(citizen: Pick<Citizen, 'firstName' | 'lastName'>): string {
  return `${citizen.lastName} ${citizen.firstName}`;
}

export function citizenColumns(context: CliContext, timeZone: string): Column<Citizen>[] {
  const it = context.language === 'it';
  return [
    { header: 'id', value: (citizen) => String(citizen.id), right: true },
    { header: it ? 'cognome e nome' : 'name', value: citizenName },
    { header: it ? 'codice fiscale' : 'tax code', value: (citizen) => citizen.taxCode ?? '' },
    { header: 'e-mail', value: (citizen) => citizen.email ?? '' },
    { header: it ? 'telefono' : 'phone', value: (citizen) => citizen.phone ?? '' },
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
    ['E-mail', citizen.email ?? '—'],
    ['PEC', citizen.pec ?? '—'],
    [it ? 'Telefono' : 'Phone', citizen.phone ?? '—'],
    [it ? 'Indirizzo' : 'Address', safeLine(citizen.address ?? '—')],
    [it ? 'Registrato il' : 'Registered on', formatDate(citizen.createdAt, timeZone, context.language, context.output.rich)],
  ];
  if (citizen.erasedAt) {
    pairs.push([it ? 'Cancellato il' : 'Erased on', formatDate(citizen.erasedAt, timeZone, context.language, context.output.rich)]);
  }
  return pairs;
}
