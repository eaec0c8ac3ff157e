// The functions of libphonenumber-js that phone-library-on-demand.cjs hands
// out, from the package's ES module build: required from there, the bundle
// initialises them (scope-hoisted, cheaper than the CommonJS build's module
// wrappers) on the first call, not at start-up.
export { parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js/core';
