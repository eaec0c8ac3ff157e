// The bundle's stand-in for 'libphonenumber-js/max' (see the "bundle" script
// in package.json). Initialising the library and its complete metadata (an
// object of 150 KB) costs a few milliseconds, which the commands that never
// read or print a phone number should not pay: here both are initialised on
// the first call, and of the metadata only the countries asked for (see
// src/build/phone-metadata.ts, which writes dist/phone-metadata.cjs before
// the bundle is made). It offers only the functions src/domain/contacts.ts
// imports, with the same arguments; tests and tsc use the real module.
'use strict';

let functions;
let metadata;
function load() {
  functions ??= require('./phone-library-functions.mjs');
  metadata ??= require('../../dist/phone-metadata.cjs');
  return functions;
}

exports.parsePhoneNumberWithError = (text, options) => load().parsePhoneNumberWithError(text, options, metadata);
exports.validatePhoneNumberLength = (text, options) => load().validatePhoneNumberLength(text, options, metadata);
