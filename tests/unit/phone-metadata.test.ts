import { createRequire } from 'node:module';
import { parsePhoneNumberWithError as parseWith, type MetadataJson } from 'libphonenumber-js/core';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { phoneMetadataModule } from '../../src/build/phone-metadata.js';

// The bundle hands libphonenumber-js its metadata one country at a time (see
// src/build/phone-metadata.ts): the verdicts must be those of the package's
// own metadata, number for number.

const packaged = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json') as MetadataJson;

function lazyMetadata(): { metadata: MetadataJson; parsed: () => string[] } {
  const module = { exports: {} as MetadataJson };
  const parsed: string[] = [];
  const json = { parse: (text: string) => (parsed.push(text.slice(0, 12)), JSON.parse(text)) };
  new Function('module', 'JSON', phoneMetadataModule(packaged as never))(module, json);
  return { metadata: module.exports, parsed: () => parsed };
}

const NUMBERS = [
  '0331 467816', '333 123 4567', '3001234567', '80012345', '800 123 456', '803 116', '899 123 456', '06 6988 3000', '333 1234 5678',
  '+44 (0) 20 7946 0958', '+44 7911 123456', '+33 (0)1 42 68 53 00', '+49 (0)30 901820', '+41 44 668 18 00', '+378 0549 882000',
  '+1 212 555 0123', '+34 912 34 56 78', '+43 1 234 5678', '+999 123456', '+44 123', '333 123 456 789 0', '+800 1234 5678', '+882 1234 5678',
];

function verdict(parse: () => ReturnType<typeof parsePhoneNumberWithError>) {
  try {
    const phone = parse();
    return [phone.number, phone.country, phone.isPossible(), phone.isValid(), phone.getType(), phone.formatNational(), phone.formatInternational()];
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the metadata as the bundle hands it to libphonenumber-js', () => {
  it.each(NUMBERS)('%j gets the same verdict as with the packaged metadata', (text) => {
    const { metadata } = lazyMetadata();
    expect(verdict(() => parseWith(text, { defaultCountry: 'IT', extract: false }, metadata))).toEqual(
      verdict(() => parsePhoneNumberWithError(text, { defaultCountry: 'IT', extract: false })),
    );
  });

  it('parses only the countries asked for', () => {
    const { metadata, parsed } = lazyMetadata();
    parseWith('333 123 4567', { defaultCountry: 'IT', extract: false }, metadata).isValid();
    expect(parsed().length).toBeGreaterThan(0);
    expect(parsed().length).toBeLessThanOrEqual(3); // Italy, and the Vatican that shares +39
    expect(Object.keys(metadata.countries).length).toBe(Object.keys(packaged.countries).length);
  });
});
