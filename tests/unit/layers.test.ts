import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The architecture as a rule the build can lose (issue 11, item 7): layers
 * point down only (storage knows nothing of the domain or the command line;
 * the domain nothing of the command line), the SQLite driver is used only in
 * storage, and no module imports itself round a circle (type imports count:
 * they tie modules as much as values do).
 */
const SRC = resolve(import.meta.dirname, '../../src');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts|cts)$/.test(name) ? [path] : [];
  });
}

const files = sources(SRC);
const IMPORT = /^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** The source file a relative import names (`./x.js` is `./x.ts`), or undefined for a package. */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(file), specifier).replace(/\.(c|m)?js$/, '');
  for (const extension of ['.ts', '.mts', '.cts', '/index.ts']) {
    try {
      if (statSync(base + extension).isFile()) return base + extension;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));
const layer = (file: string) => relative(SRC, file).split('/')[0];

describe('layers', () => {
  it('storage imports nothing from the domain or the command line; the domain nothing from the command line', () => {
    const upward: string[] = [];
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        const to = target(file, specifier);
        if (!to || !to.startsWith(SRC)) continue;
        const from = layer(file);
        const into = layer(to);
        if ((from === 'storage' && (into === 'domain' || into === 'cli' || into === 'documents')) || (from === 'domain' && into === 'cli')) {
          upward.push(`${relative(SRC, file)} -> ${relative(SRC, to)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('only storage uses the SQLite driver', () => {
    const outside = [...graph].filter(([file, specifiers]) => layer(file) !== 'storage' && specifiers.includes('better-sqlite3')).map(([file]) => relative(SRC, file));
    expect(outside).toEqual([]);
  });

  it('no module imports itself round a circle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const specifier of graph.get(file) ?? []) {
        const to = target(file, specifier);
        if (!to || !graph.has(to)) continue;
        if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to].map((each) => relative(SRC, each)).join(' > '));
        else if (!state.has(to)) visit(to);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('finds the imports it checks (the test itself would notice a layout it cannot read)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(join(SRC, 'cli/main.ts'))).toContain('./program.js');
  });
});
