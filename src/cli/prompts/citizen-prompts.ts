import type { Kysely } from 'kysely';
import {
  type CitizenData,
  type CitizenInput,
  findCitizens,
  getCitizen,
  identifyCitizen,
  validEmail,
  validPhone,
  validTaxCode,
  validateCitizen,
} from '../../domain/citizens.js';
import { contactsForPeople } from '../render/citizens.js';
import { InputError } from '../../domain/errors.js';
import { TEXT_LIMITS, requiredText } from '../../domain/text-fields.js';
import type { Database } from '../../storage/schema.js';
import type { MessageKey } from '../../i18n/messages.js';
import type { CliContext } from '../context.js';
import { safeLine } from '../terminal-text.js';
import { ask, prompts, validator } from './prompting.js';

/**
 * Search-or-create (SPEC 3.2): the clerk types part of a name, a tax code, an
 * e-mail or a phone; picks the person from the matches or registers a new one.
 * Returns a citizen id, or validated details of a new citizen.
 */
export async function promptCitizen(context: CliContext, db: Kysely<Database>): Promise<number | CitizenData> {
  const { input, select } = prompts(context);
  for (;;) {
    const search = await ask(
      input({
        message: context.t('prompt.citizen.search'),
        validate: (value) => (value.trim() ? true : context.t('prompt.citizen.searchEmpty')),
      }),
    );
    const found = await findCitizens(db, search, 15);
    const NEW = -1;
    const AGAIN = -2;
    const choice = await ask(
      select<number>({
        message: found.length ? context.t('prompt.citizen.found', { count: found.length }) : context.t('prompt.citizen.none'),
        choices: [
          ...found.map((citizen) => ({
            value: citizen.id,
            name: safeLine(
              [`${citizen.lastName} ${citizen.firstName}`, citizen.taxCode, contactsForPeople(citizen).email, contactsForPeople(citizen).phone].filter(Boolean).join(' · '),
            ),
          })),
          { value: NEW, name: context.t('prompt.citizen.new') },
          { value: AGAIN, name: context.t('prompt.citizen.again') },
        ],
      }),
    );
    if (choice === AGAIN) continue;
    if (choice !== NEW) return choice;
    return promptNewCitizen(context, db, search);
  }
}

async function promptNewCitizen(context: CliContext, db: Kysely<Database>, search: string): Promise<number | CitizenData> {
  const words = search.trim().split(/\s+/);
  const looksLikeName = !/[@\d]/.test(search);
  const looksLikePhone = /^[+\d][\d\s./-]+$/.test(search.trim());
  return askCitizenFields(context, db, {}, {
    lastName: looksLikeName ? words[0] : undefined,
    firstName: looksLikeName && words.length > 1 ? words.slice(1).join(' ') : undefined,
    email: search.includes('@') ? search.trim() : undefined,
    phone: looksLikePhone ? search.trim() : undefined,
  });
}

/** A citizen given in part as flags: asks only for what is missing (a contact, if none was given). */
export async function completeCitizen(context: CliContext, db: Kysely<Database>, given: CitizenInput): Promise<number | CitizenData> {
  return askCitizenFields(context, db, given, {});
}

/**
 * Asks for the citizen's fields not in `given` (suggesting `defaults`),
 * validating each as typed, until at least one contact is there. A tax
 * code, e-mail or phone that is another registered person's is not taken
 * silently (issue 10): the clerk chooses that citizen (their id is
 * returned) or types another value.
 */
async function askCitizenFields(context: CliContext, db: Kysely<Database>, given: CitizenInput, defaults: CitizenInput): Promise<number | CitizenData> {
  const { input, select } = prompts(context);
  const values: { -readonly [Field in keyof CitizenInput]: CitizenInput[Field] } = { ...given };
  const askText = async (field: keyof CitizenInput, message: string, check: (value: string) => unknown) => {
    if (values[field] !== undefined) return;
    values[field] = await ask(input({ message, default: defaults[field], validate: validator(context, check) }));
  };
  await askText('lastName', context.t('prompt.citizen.lastName'), (value) => requiredText('lastName', value, TEXT_LIMITS.personName));
  await askText('firstName', context.t('prompt.citizen.firstName'), (value) => requiredText('firstName', value, TEXT_LIMITS.personName));
  await askText('taxCode', context.t('prompt.citizen.taxCode'), validTaxCode);
  const contactsGiven = ['email', 'phone', 'address', 'pec'].some((field) => given[field as keyof CitizenInput] !== undefined);
  for (;;) {
    if (!contactsGiven) {
      await askText('email', context.t('prompt.citizen.email'), validEmail);
      await askText('phone', context.t('prompt.citizen.phone'), validPhone);
      await askText('address', context.t('prompt.citizen.address'), (value) => value);
    }
    try {
      const data = validateCitizen(values);
      try {
        await identifyCitizen(db, data);
        return data;
      } catch (error) {
        const field = error instanceof InputError && /^citizen\.belongsTo\.(taxCode|email|phone)$/.exec(error.key)?.[1];
        if (!field) throw error;
        const other = await getCitizen(db, Number(error.params.id));
        const name = safeLine(`${other.lastName} ${other.firstName.slice(0, 1)}.`);
        const params = { id: other.id, name };
        const USE = 'use';
        const choice = await ask(
          select({
            message: context.t(`prompt.belongsTo.${field}` as MessageKey, params),
            choices: [
              { value: USE, name: context.t('prompt.useCitizen', params) },
              { value: 'another', name: context.t(`prompt.enterAnother.${field}` as MessageKey) },
            ],
          }),
        );
        if (choice === USE) return other.id;
        // Asked again, in place: only that value is typed anew.
        values[field as 'taxCode' | 'email' | 'phone'] = undefined;
        if (field === 'taxCode') await askText('taxCode', context.t('prompt.citizen.taxCode'), validTaxCode);
        else if (contactsGiven) await askText(field as 'email' | 'phone', context.t(field === 'email' ? 'prompt.citizen.emailAgain' : 'prompt.citizen.phoneAgain'), field === 'email' ? validEmail : validPhone);
        continue;
      }
    } catch (error) {
      if (contactsGiven || !(error instanceof InputError) || error.key !== 'citizen.contactMissing') throw error;
      // No anonymous reports: at least one contact, asked again.
      context.output.warn(context.t('prompt.citizen.contactNeeded'));
      values.email = values.phone = values.address = undefined;
    }
  }
}
