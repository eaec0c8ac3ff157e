import { describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone } from '../../src/domain/contacts.js';

describe('normaliseEmail', () => {
  it.each([
    ['mario.rossi@example.it', 'mario.rossi@example.it'],
    ['Mario.Rossi@Comune.Legnano.MI.IT', 'mario.rossi@comune.legnano.mi.it'],
    ['  URP@COMUNE.EXAMPLE.IT  ', 'urp@comune.example.it'],
    ['anna+urp@example.org', 'anna+urp@example.org'],
    ["o'brien@example.co.uk", "o'brien@example.co.uk"],
    ['first_last-1@sub-domain.example.com', 'first_last-1@sub-domain.example.com'],
    ['user@xn--comune-citt-8ab.it', 'user@xn--comune-citt-8ab.it'],
    ['user@example.xn--p1ai', 'user@example.xn--p1ai'], // punycode top-level domain
  ])('%j -> %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it('finds the same person typed twice in different case', () => {
    expect(normaliseEmail('Mario.Rossi@Example.IT')).toBe(normaliseEmail('mario.rossi@example.it'));
  });

  it.each([
    '',
    '   ',
    'mario.rossi',
    'mario.rossi@',
    '@example.it',
    'mario.rossi@example', // no dotted domain
    'mario@@example.it',
    'mario@ex@ample.it',
    'mario rossi@example.it',
    'mario.rossi@example .it',
    'mario..rossi@example.it',
    '.mario.rossi@example.it', // local part starting with a dot
    'mario.rossi.@example.it', // local part ending with a dot
    'mario.rossi@example..it',
    'mario.rossi@-example.it',
    'mario.rossi@example-.it',
    'mario.rossi@example.i', // one-letter top-level domain
    'mario.rossi@example.123', // numeric top-level domain
    'mario.rossi@192.168.0.1',
    'màrio@example.it', // non-ASCII local part
    'mario.rossi@example.it, anna@example.it',
    `${'a'.repeat(250)}@example.it`, // over 254 characters
  ])('%j is refused', (input) => {
    expect(normaliseEmail(input)).toBeUndefined();
  });
});

describe('normalisePhone', () => {
  it.each([
    // Italian landlines keep their leading 0
    ['0331 467816', '+390331467816'],
    ['0331/467816', '+390331467816'],
    ['0331-467816', '+390331467816'],
    ['(0331) 467816', '+390331467816'],
    ['02 12345678', '+390212345678'],
    ['06.6982', '+39066982'], // short Rome number
    // mobiles
    ['333 123 4567', '+393331234567'],
    ['3331234567', '+393331234567'],
    ['333.123.45.67', '+393331234567'],
    ['333 123456', '+39333123456'], // older 9-digit mobile
    // free numbers
    ['800 123 456', '+39800123456'],
    // with the country code written
    ['+39 333 123 4567', '+393331234567'],
    ['+39.333.123.4567', '+393331234567'],
    ['+39-0331-467816', '+390331467816'],
    ['+39 (0)331 467816', '+390331467816'],
    ['0039 333 1234567', '+393331234567'],
    ['0039 0331 467816', '+390331467816'],
    ['  +390331467816  ', '+390331467816'],
    // foreign numbers with their own prefix
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+41 91 123 45 67', '+41911234567'],
    ['+1 212 555 0100', '+12125550100'],
  ])('%j -> %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it('finds the same number typed in different ways', () => {
    const forms = ['0331 467816', '+39 0331 467816', '0039 0331-467816', '0331.467.816'];
    expect(new Set(forms.map(normalisePhone))).toEqual(new Set(['+390331467816']));
  });

  it.each([
    '',
    '   ',
    'abc',
    '333 123 456a',
    'tel. 0331 467816',
    '0331 46781x',
    '0331', // too short
    '033', // too short
    '333 1234', // mobile too short
    '333 123 456 789 0', // mobile too long
    '333 1234 5678', // mobile with one digit too many (11)
    '+39 3331', // too short after +39
    '+39 1234567', // Italian numbers do not start with 1
    '1234567890', // starts with 1 without +
    '12125550100', // a US number without its +
    '5551234', // other leading digit without +
    '+44 123', // foreign too short
    '+44 1234 5678 9012 345', // over 15 digits
    '+0 123 456 789', // country codes do not start with 0
    '++39 333 1234567',
    '+39 333 123 4567 ext 2',
    '333 123 4567 / 0331 467816', // two numbers
  ])('%j is refused', (input) => {
    expect(normalisePhone(input)).toBeUndefined();
  });
});
