import { parsePhoneNumberWithError, validatePhoneNumberLength, type PhoneNumber } from 'libphonenumber-js/max';
import { domainToASCII, domainToUnicode } from 'node:url';
import type { MessageKey, MessageParams } from '../i18n/messages.js';
import { InputError } from './errors.js';

/**
 * E-mail addresses and phone numbers: validated and normalised so that the
 * same person typed twice is found again, and refused with the reason when
 * they cannot be anyone's.
 */

// ---------------------------------------------------------------------------
// E-mail

/** Why an address is refused: a message key and its parameters. */
export interface ContactProblem {
  readonly key: MessageKey;
  readonly params: MessageParams;
}

type EmailReading = { readonly email: string } | ContactProblem;

/** RFC 5322 atext: what a dot-atom local part is made of. */
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * What a label of an internationalised domain may hold besides ASCII: letters,
 * combining marks and digits, and the few joiners and punctuation IDNA2008
 * allows in context. An approximation of IDNA2008's PVALID: node's domainToASCII
 * follows UTS #46, which still lets symbols through (emoji, ☃), and IDNA2008
 * (RFC 5892) refuses them.
 */
const IDNA_LABEL = /^[\p{L}\p{M}\p{Nd}\u00B7\u0375\u05F3\u05F4\u30FB\u200C\u200D-]+$/u;

/**
 * Special-use names that can never receive mail, by the label(s) they end in,
 * with the message that says why (RFC 6761 section 6, RFC 6762 for .local,
 * RFC 7686 for .onion, RFC 9476 for .alt, RFC 3172 for .arpa: reverse zones,
 * home.arpa of RFC 8375 and the other names there are infrastructure, never
 * a mailbox).
 */
const SPECIAL_USE: ReadonlyArray<readonly [suffix: string, key: MessageKey]> = [
  ['test', 'email.reservedTest'],
  ['example', 'email.reservedExample'],
  ['example.com', 'email.reservedExample'],
  ['example.net', 'email.reservedExample'],
  ['example.org', 'email.reservedExample'],
  ['invalid', 'email.reservedInvalid'],
  ['localhost', 'email.reservedLocalhost'],
  ['local', 'email.reservedLocal'],
  ['onion', 'email.reservedOnion'],
  ['alt', 'email.reservedAlt'],
  ['arpa', 'email.reservedArpa'],
];

const problem = (key: MessageKey, params: MessageParams = {}): ContactProblem => ({ key, params });

/**
 * Reads an address as practical mailers accept it (RFC 5321 and 5322): a
 * dot-atom local part of at most 64 characters, kept as typed; a domain of
 * LDH labels, or an internationalised one (IDNA), at most 254 characters in
 * all. Quoted local parts, comments and address literals ([192.0.2.1]) are
 * refused: citizens do not have them and many programs mishandle them.
 *
 * The domain is stored in ONE form, lower case, as IDNA A-labels (punycode:
 * `mario@xn--universit-y1a.it`), whichever form was typed:
 * - it is the form DNS and SMTP use (RFC 5890; a server without SMTPUTF8
 *   takes nothing else), so an address goes out as stored;
 * - it is ASCII, so the database's own case folding (lower(), LIKE) is right
 *   on the whole address;
 * - urp stored domains this way before (only punycode was accepted), so a
 *   register's existing addresses match the new ones.
 * People see the Unicode form (emailForPeople) in the human renderers.
 */
function readEmail(text: string): EmailReading {
  const address = text.trim();
  const at = address.lastIndexOf('@');
  if (at < 0) return problem('email.syntax');
  const local = address.slice(0, at);
  const typedDomain = address.slice(at + 1);
  if (local.startsWith('"') || local.includes('"')) return problem('email.quoted');
  if (local === '' || typedDomain === '' || local.includes('@')) return problem('email.syntax');
  if (!DOT_ATOM.test(local)) {
    // eslint-disable-next-line no-control-regex
    return /[^\x00-\x7f]/.test(local) ? problem('email.localNonAscii') : problem('email.localPart');
  }
  if (typedDomain.startsWith('[')) return problem('email.domain');
  // Only ASCII and IDN labels go through IDNA; anything else a domain cannot hold is refused below.
  const domain = domainToASCII(typedDomain);
  if (domain === '') return problem(/(^|\.)xn--/i.test(typedDomain) || /[^\x00-\x7f]/.test(typedDomain) ? 'email.idna' : 'email.domain');
  const labels = domain.split('.');
  for (const label of labels) {
    if (label.slice(2, 4) !== '--') continue;
    // "--" in the third and fourth places is reserved for IDNA (RFC 5891 4.2.3.1): only xn-- labels, and only valid ones.
    if (!label.startsWith('xn--')) return problem('email.idna');
    const unicode = domainToUnicode(label);
    // Valid punycode that decodes to a real U-label, which encodes back to the same A-label.
    if (unicode === label || unicode === '' || !/[^\x00-\x7f]/.test(unicode) || domainToASCII(unicode) !== label || !IDNA_LABEL.test(unicode.normalize('NFC'))) {
      return problem('email.idna');
    }
  }
  if (labels.length < 2 || !labels.every((label) => LDH_LABEL.test(label))) return problem('email.domain');
  // A top-level domain is letters (or an IDN); 192.168.0.1 is not a domain.
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels.at(-1)!)) return problem('email.domain');
  for (const [suffix, key] of SPECIAL_USE) {
    if (domain === suffix || domain.endsWith(`.${suffix}`)) return problem(key, { suffix: suffix.includes('.') ? suffix : `.${suffix}` });
  }
  if (local.length > 64 || local.length + 1 + domain.length > 254) return problem('email.tooLong');
  return { email: `${local}@${domain}` };
}

// An import reads the same few thousand addresses over and over: each is read once.
const emailReadings = new Map<string, EmailReading>();

function cachedEmail(text: string): EmailReading {
  let reading = emailReadings.get(text);
  if (!reading) {
    if (emailReadings.size >= 10_000) emailReadings.clear();
    emailReadings.set(text, (reading = readEmail(text)));
  }
  return reading;
}

/** The stored form of an address (local part as typed, domain lower-case punycode), or undefined when it is not valid. */
export function normaliseEmail(text: string): string | undefined {
  const reading = cachedEmail(text);
  return 'email' in reading ? reading.email : undefined;
}

/** Why an address is refused, or undefined when it is valid. */
export function emailProblem(text: string): ContactProblem | undefined {
  const reading = cachedEmail(text);
  return 'email' in reading ? undefined : reading;
}

/** The stored form of an address, or the InputError that says what is wrong with it. */
export function validEmailAddress(text: string, field = 'email'): string {
  const reading = cachedEmail(text);
  if ('email' in reading) return reading.email;
  throw new InputError(reading.key, reading.params, field);
}

/**
 * The form two addresses are compared in: the whole address in lower case.
 * Mail providers treat local parts without regard to case, a register
 * written before urp kept the case has every address in lower case, and
 * "Mario.Rossi@" and "mario.rossi@" are one citizen; the stored address
 * keeps the case the citizen wrote.
 */
export function emailMatchKey(email: string): string {
  return email.toLowerCase();
}

/** An address as people read it: the domain in Unicode (`mario@università.it`). */
export function emailForPeople(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0 || !email.includes('xn--')) return email;
  const domain = domainToUnicode(email.slice(at + 1));
  return domain ? `${email.slice(0, at + 1)}${domain}` : email;
}

/**
 * Looks up a stored address equal to `email` but for case, in an index that
 * orders text by its bytes (SQLite's default, so `citizens.email`'s unique
 * index), without reading the whole index: a skip scan over the case
 * variants of the address. A generator that yields the text to seek (the
 * caller answers with the smallest stored address at or after it, or
 * undefined) and returns the stored address found, or undefined.
 *
 * Variants differ only in the letters' case, and in byte order an upper-case
 * ASCII letter sorts before its lower-case form: each answer either is a
 * variant or tells the next variant worth asking for, so the index is asked
 * about as many times as the address has letters, not 2^letters.
 */
export function* storedEmailIgnoringCase(email: string): Generator<string, string | undefined, string | undefined> {
  // Stored addresses are ASCII (a dot-atom local part, a punycode domain), where
  // UTF-16 code units order as SQLite's UTF-8 bytes do.
  const key = emailMatchKey(email);
  const upperKey = key.toUpperCase();
  const isLetter = (index: number) => key.charCodeAt(index) >= 97 && key.charCodeAt(index) <= 122;
  // The exact form first, then the all-lower-case form of older registers: nearly always one of them.
  if ((yield email) === email) return email;
  if (key !== email && (yield key) === key) return key;
  // The smallest variant is all upper case; each answer tells the next variant worth asking for.
  let target = upperKey;
  for (;;) {
    const found = yield target;
    if (found === undefined) return undefined;
    const next = nextVariant(found);
    if (next === undefined || next === found) return next;
    target = next;
  }

  /** The smallest case variant of the key at or after `found`. */
  function nextVariant(found: string): string | undefined {
    let index = 0;
    while (index < key.length && index < found.length && (found[index] === key[index] || found[index] === upperKey[index])) index++;
    if (index === key.length && found.length === key.length) return found;
    if (index === found.length) return found + upperKey.slice(index);
    // At the first difference, the lower-case letter if it comes after what was found.
    if (index < key.length && isLetter(index) && found.charCodeAt(index) > upperKey.charCodeAt(index) && found.charCodeAt(index) < key.charCodeAt(index)) {
      return found.slice(0, index) + key[index] + upperKey.slice(index + 1);
    }
    if (index < key.length && found.charCodeAt(index) < upperKey.charCodeAt(index)) return found.slice(0, index) + upperKey.slice(index);
    // Past every variant with this prefix: raise the last upper-case letter before it to lower case.
    for (let back = Math.min(index, key.length) - 1; back >= 0; back--) {
      if (isLetter(back) && found[back] === upperKey[back]) return found.slice(0, back) + key[back] + upperKey.slice(back + 1);
    }
    return undefined;
  }
}

/** storedEmailIgnoringCase run against a synchronous seek (a prepared statement). */
export function findStoredEmail(email: string, seek: (from: string) => string | undefined): string | undefined {
  const search = storedEmailIgnoringCase(email);
  let step = search.next();
  while (!step.done) step = search.next(seek(step.value));
  return step.value;
}

/** storedEmailIgnoringCase run against an asynchronous seek (a kysely query). */
export async function findStoredEmailAsync(email: string, seek: (from: string) => Promise<string | undefined>): Promise<string | undefined> {
  const search = storedEmailIgnoringCase(email);
  let step = search.next();
  while (!step.done) step = search.next(await seek(step.value));
  return step.value;
}

// ---------------------------------------------------------------------------
// Phones

export type PhoneProblem = 'notANumber' | 'unknownCountry' | 'tooShort' | 'tooLong' | 'notInUse' | 'extension' | 'voicemail';

type PhoneReading = { readonly phone: string } | { readonly problem: PhoneProblem; readonly callingCode: string };

/** Digits with the separators people write (spaces, dots, dashes, slashes, brackets), + or 00 before an international number. */
const TYPED_PHONE = /^\+?[\d\s./()-]*\d[\d\s./()-]*$/;
const ITALY = 'IT';

/**
 * Phone numbers are read with Google's libphonenumber (as libphonenumber-js)
 * and its complete ("max") metadata: the numbering plan of every country,
 * trunk prefixes included (`+44 (0)20 7946 0958` is `+442079460958`), so a
 * number impossible for its plan is refused with the reason: too short, too
 * long, or a prefix no number in use has (`3001234567`, `80012345`,
 * `+999 123456`). The smaller metadata ("min", "mobile") checks lengths
 * only, or mobiles only. A number without its country code is Italian. Every
 * kind of number in use is accepted (fixed, mobile, toll-free, premium...)
 * except a voicemail service's (in Italy 33x with one digit too many for a
 * mobile: a typing error far more often than anyone's number). Stored in
 * E.164 (`+393331234567`).
 *
 * Start-up: the library and its 150 KB of metadata are in the bundle but
 * initialised only when a number is first read or printed (see
 * phone-library-on-demand.cjs and the "bundle" script of package.json):
 * commands that never touch a phone do not pay for them.
 */
function readPhone(text: string): PhoneReading {
  const typed = text.trim();
  const defaultCode = typed.startsWith('+') || typed.startsWith('00') ? '' : '39';
  if (!TYPED_PHONE.test(typed)) {
    // "0331 467816 ext. 12": a number, but with an extension urp has no place for.
    return { problem: hasExtension(typed) ? 'extension' : 'notANumber', callingCode: defaultCode };
  }
  let phone: PhoneNumber;
  try {
    phone = parsePhoneNumberWithError(typed, { defaultCountry: ITALY, extract: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : '';
    const problem: PhoneProblem = reason === 'INVALID_COUNTRY' ? 'unknownCountry' : reason === 'TOO_SHORT' ? 'tooShort' : reason === 'TOO_LONG' ? 'tooLong' : 'notANumber';
    return { problem, callingCode: defaultCode };
  }
  const callingCode = phone.countryCallingCode;
  if (!phone.isPossible()) {
    const length = validatePhoneNumberLength(typed, { defaultCountry: ITALY });
    return { problem: length === 'TOO_SHORT' ? 'tooShort' : length === 'TOO_LONG' ? 'tooLong' : 'notInUse', callingCode };
  }
  if (!phone.isValid()) return { problem: 'notInUse', callingCode };
  if (phone.getType() === 'VOICEMAIL') return { problem: 'voicemail', callingCode };
  return { phone: phone.number };
}

function hasExtension(text: string): boolean {
  try {
    return Boolean(parsePhoneNumberWithError(text, { defaultCountry: ITALY, extract: false }).ext);
  } catch {
    return false;
  }
}

// An import reads the same few thousand numbers over and over: each is parsed once.
const readings = new Map<string, PhoneReading>();

function cachedReading(text: string): PhoneReading {
  let reading = readings.get(text);
  if (!reading) {
    if (readings.size >= 10_000) readings.clear();
    readings.set(text, (reading = readPhone(text)));
  }
  return reading;
}

/** The number in E.164 form (+39...), or undefined when it cannot be a phone number in use. */
export function normalisePhone(text: string): string | undefined {
  const reading = cachedReading(text);
  return 'phone' in reading ? reading.phone : undefined;
}

/** Why a number is refused (`phone.tooShort`...), or undefined when it is valid. */
export function phoneProblem(text: string): ContactProblem | undefined {
  const reading = cachedReading(text);
  return 'phone' in reading ? undefined : problem(`phone.${reading.problem}`, { code: reading.callingCode || '?' });
}

/** The stored (E.164) form of a number, or the InputError that says what is wrong with it. */
export function validPhoneNumber(text: string, field = 'phone'): string {
  const reading = cachedReading(text);
  if ('phone' in reading) return reading.phone;
  throw new InputError(`phone.${reading.problem}`, { code: reading.callingCode || '?' }, field);
}

const printed = new Map<string, string>();

/**
 * A stored number as people read it: Italian numbers (+39, Vatican City
 * included) in the national style (`333 123 4567`, `0331 467816`), foreign
 * ones in the international style (`+44 20 7946 0958`). A stored value that
 * is not a valid E.164 number (an older register's) is shown as it is.
 */
export function phoneForPeople(stored: string): string {
  let text = printed.get(stored);
  if (text === undefined) {
    try {
      const phone = parsePhoneNumberWithError(stored, { extract: false });
      if (!phone.isValid() || phone.number !== stored) text = stored;
      else text = phone.countryCallingCode === '39' ? phone.formatNational() : phone.formatInternational();
    } catch {
      text = stored;
    }
    if (printed.size >= 10_000) printed.clear();
    printed.set(stored, text);
  }
  return text;
}
