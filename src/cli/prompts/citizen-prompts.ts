import { input, select } from '@inquirer/prompts';
import type { Kysely } from 'kysely';
import { type CitizenData, findCitizens, validEmail, validPhone, validTaxCode, validateCitizen } from '../../domain/citizens.js';
import { TEXT_LIMITS, requiredText } from '../../domain/text-fields.js';
import type { Database } from '../../storage/schema.js';
import type { CliContext } from '../context.js';
import { safeLine } from '../terminal-text.js';
import { ask, validator } from './prompting.js';

/**
 * Search-or-create (SPEC 3.2): the clerk types part of a name, a tax code, an
 * e-mail or a phone; picks the person from the matches or registers a new one.
 * Returns a citizen id, or validated details of a new citizen.
 */
export async function promptCitizen(context: CliContext, db: Kysely<Database>): Promise<number | CitizenData> {
  const it = context.language === 'it';
  for (;;) {
    const search = await ask(
      input({
        message: it ? 'Cittadino: cerca per nome, codice fiscale, e-mail o telefono' : 'Citizen: search by name, tax code, e-mail or phone',
        validate: (value) => (value.trim() ? true : it ? 'Scrivere qualcosa da cercare' : 'Type something to search for'),
      }),
    );
    const found = await findCitizens(db, search, 15);
    const NEW = -1;
    const AGAIN = -2;
    const choice = await ask(
      select<number>({
        message: found.length
          ? it ? `Trovati ${found.length}: scegliere` : `${found.length} found: choose`
          : it ? 'Nessuno trovato' : 'Nobody found',
        choices: [
          ...found.map((citizen) => ({
            value: citizen.id,
            name: safeLine(
              [`${citizen.lastName} ${citizen.firstName}`, citizen.taxCode, citizen.email, citizen.phone].filter(Boolean).join(' · '),
            ),
          })),
          { value: NEW, name: it ? '+ Nuovo cittadino' : '+ New citizen' },
          { value: AGAIN, name: it ? '↺ Cerca di nuovo' : '↺ Search again' },
        ],
      }),
    );
    if (choice === AGAIN) continue;
    if (choice !== NEW) return choice;
    return promptNewCitizen(context, search);
  }
}

async function promptNewCitizen(context: CliContext, search: string): Promise<CitizenData> {
  const it = context.language === 'it';
  const words = search.trim().split(/\s+/);
  const looksLikeName = !/[@\d]/.test(search);
  const lastName = await ask(
    input({
      message: it ? 'Cognome' : 'Last name',
      default: looksLikeName ? words[0] : undefined,
      validate: validator(context, (value) => requiredText('lastName', value, TEXT_LIMITS.personName)),
    }),
  );
  const firstName = await ask(
    input({
      message: it ? 'Nome' : 'First name',
      default: looksLikeName && words.length > 1 ? words.slice(1).join(' ') : undefined,
      validate: validator(context, (value) => requiredText('firstName', value, TEXT_LIMITS.personName)),
    }),
  );
  const taxCode = await ask(
    input({ message: it ? 'Codice fiscale (facoltativo)' : 'Tax code (optional)', validate: validator(context, validTaxCode) }),
  );
  for (;;) {
    const email = await ask(
      input({
        message: it ? 'E-mail (facoltativa)' : 'E-mail (optional)',
        default: search.includes('@') ? search.trim() : undefined,
        validate: validator(context, validEmail),
      }),
    );
    const phone = await ask(
      input({
        message: it ? 'Telefono (facoltativo)' : 'Phone (optional)',
        default: /^[+\d][\d\s./-]+$/.test(search.trim()) ? search.trim() : undefined,
        validate: validator(context, validPhone),
      }),
    );
    const address = await ask(input({ message: it ? 'Indirizzo postale (facoltativo)' : 'Postal address (optional)' }));
    try {
      return validateCitizen({ firstName, lastName, taxCode, email, phone, address });
    } catch {
      // No anonymous reports: at least one contact, asked again.
      context.output.warn(
        it ? 'Serve almeno un recapito: e-mail, telefono o indirizzo.' : 'At least one contact is needed: e-mail, phone or address.',
      );
    }
  }
}
