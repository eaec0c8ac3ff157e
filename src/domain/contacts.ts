/**
 * E-mail addresses and phone numbers: validated and normalised so that the
 * same person typed twice is found again.
 *
 * Phone numbers are hand-normalised rather than parsed with libphonenumber-js:
 * its metadata costs ~85 ms to load, and an Italian office needs one rule set:
 * Italian numbers (landlines start with 0, mobiles with 3, free numbers with 8)
 * get the +39 prefix; foreign ones must be written with their own prefix.
 */

// Deliberately practical rather than RFC 5322 complete: one @, a dotted domain, no blanks.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The normalised (lower-case) address, or undefined when it is not a valid address. */
export function normaliseEmail(text: string): string | undefined {
  const email = text.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email) || email.includes('..') || /^\.|\.@/.test(email)) return undefined;
  const topLevel = email.slice(email.lastIndexOf('.') + 1);
  return /^[a-z]{2,}$|^xn--[a-z0-9-]+$/.test(topLevel) ? email : undefined;
}

/** The number in E.164 form (+39...), or undefined when it cannot be a phone number. */
export function normalisePhone(text: string): string | undefined {
  const compact = text.trim().replace(/[\s./()-]/g, '');
  let international: string;
  if (/^\+\d+$/.test(compact)) international = compact;
  else if (/^00\d+$/.test(compact)) international = `+${compact.slice(2)}`;
  else if (/^\d+$/.test(compact)) {
    if (!/^[038]/.test(compact)) return undefined;
    international = `+39${compact}`;
  } else return undefined;

  if (international.startsWith('+39')) {
    const national = international.slice(3);
    // Landlines keep their leading 0 (6 to 11 digits); mobiles are 3 and 8 to 9 more digits.
    const valid = /^0\d{5,10}$/.test(national) || /^3\d{8,9}$/.test(national) || /^8\d{5,9}$/.test(national);
    return valid ? international : undefined;
  }
  // E.164: at most 15 digits including the country code.
  return /^\+[1-9]\d{5,14}$/.test(international) ? international : undefined;
}
