#!/usr/bin/env node
// Moves the [English, Italian] pairs of src/i18n/messages.ts's `catalog`
// into the catalogues of each language, src/i18n/en.ts (the source) and
// src/i18n/it.ts, keeping their order and the comments above them, and
// leaves `catalog` empty. Run it again after merging a branch that still
// added pairs to messages.ts: only those are moved.
//
//   node scripts/split-catalogue.mjs        (then: npm run typecheck)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const folder = resolve(import.meta.dirname, '..', 'src', 'i18n');
const messagesPath = join(folder, 'messages.ts');
const source = readFileSync(messagesPath, 'utf8');
const file = ts.createSourceFile(messagesPath, source, ts.ScriptTarget.Latest, true);

/** The object literal of `const <name> = {...}`, looking through `as const` and `satisfies`. */
function objectOf(sourceFile, name) {
  let found;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText(sourceFile) === name) {
      let value = node.initializer;
      while (value && (ts.isSatisfiesExpression(value) || ts.isAsExpression(value) || ts.isParenthesizedExpression(value))) value = value.expression;
      if (value && ts.isObjectLiteralExpression(value)) found = value;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const catalog = objectOf(file, 'catalog');
if (!catalog) throw new Error(`no \`const catalog = {...}\` in ${messagesPath}`);

/** The comment lines above a property (a heading such as `// Workflow`), and whether a blank line comes before them. */
function leading(text, property) {
  const ranges = ts.getLeadingCommentRanges(text, property.getFullStart()) ?? [];
  const trivia = text.slice(property.getFullStart(), property.getStart());
  return { comments: ranges.map((range) => text.slice(range.pos, range.end)), blank: /\n\s*\n/.test(trivia) };
}

const moved = { en: [], it: [] };
let count = 0;
for (const property of catalog.properties) {
  if (!ts.isPropertyAssignment(property) || !ts.isArrayLiteralExpression(property.initializer) || property.initializer.elements.length !== 2) {
    throw new Error(`not an [English, Italian] pair: ${property.getText(file).slice(0, 80)}`);
  }
  const key = property.name.getText(file);
  const { comments, blank } = leading(source, property);
  const [english, italian] = property.initializer.elements.map((element) => element.getText(file));
  for (const [language, text] of [['en', english], ['it', italian]]) {
    if (blank && moved[language].length > 0) moved[language].push('');
    for (const comment of comments) moved[language].push(`  ${comment}`);
    moved[language].push(`  ${key}: ${text},`);
  }
  count++;
}

const HEADERS = {
  en: [
    "import type { Message } from './language.js';",
    '',
    '/**',
    ' * Every message a person reads, in English: the source every other',
    ' * catalogue is checked against (a language is a file like this one, named',
    ' * after its code). Placeholders are written {name}; a message may have',
    ' * plural forms ({ one, other }), chosen by {count} through Intl.PluralRules.',
    ' * Field errors are worded without the field: the command line prefixes the',
    ' * flag (`--subject: ...`), the importer the line and column.',
    ' */',
    'const en = {',
  ],
  it: [
    "import type { Message } from './language.js';",
    "import type en from './en.js';",
    '',
    '/**',
    ' * Every message in Italian, as an Italian office writes it: typed against',
    ' * the English source, so that a missing or an extra key does not compile.',
    ' */',
    'const it = {',
  ],
};
const FOOTERS = {
  en: ['} as const satisfies Record<string, Message>;', '', 'export default en;', ''],
  it: ['} as const satisfies { readonly [Key in keyof typeof en]: Message };', '', 'export default it;', ''],
};

for (const language of ['en', 'it']) {
  const path = join(folder, `${language}.ts`);
  if (!existsSync(path)) {
    writeFileSync(path, [...HEADERS[language], ...moved[language], ...FOOTERS[language]].join('\n'));
    continue;
  }
  if (moved[language].length === 0) continue;
  const text = readFileSync(path, 'utf8');
  const target = objectOf(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true), language);
  if (!target) throw new Error(`no \`const ${language} = {...}\` in ${path}`);
  // Before the closing brace: after the last entry and whatever comment follows it.
  const end = target.getEnd() - 1;
  const before = text.slice(0, end).replace(/\s*$/, '\n');
  writeFileSync(path, `${before}\n  // Moved from messages.ts by scripts/split-catalogue.mjs\n${moved[language].join('\n')}\n${text.slice(end)}`);
}

// messages.ts keeps an empty table, where a branch's new pairs land on a merge.
const inside = source.slice(catalog.getStart() + 1, catalog.getEnd() - 1);
const emptied = `${source.slice(0, catalog.getStart())}{\n  // Empty: the messages are in en.ts and it.ts. Pairs a merge brings here are moved by scripts/split-catalogue.mjs.\n}${source.slice(catalog.getEnd())}`;
if (inside.trim() !== '' && !/^\s*\/\/[^\n]*\s*$/.test(inside)) writeFileSync(messagesPath, emptied);
console.log(`${count} messages moved to en.ts and it.ts`);
