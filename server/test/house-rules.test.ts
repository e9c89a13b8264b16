import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Two rules of the house checked on the source tree itself: no import cycles between the programs' own modules
 * (type-only imports included: they tie modules together just the same), and no non-test source file over 400
 * lines unless its first line says why (`Over 400 lines: <reason>`).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PROGRAMS = ['server', 'shared', 'extension'];
const SKIP_DIRS = new Set(['node_modules', '.output', '.wxt', 'fixtures', 'public']);
const MAX_LINES = 400;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|vue)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Tests and their helpers: in a test/ or e2e/ folder, or named *.test.ts / *.e2e.ts. */
const isTest = (path: string) => /(^|\/)(test|e2e)\//.test(path) || /\.(test|e2e)\.ts$/.test(path);

const files = PROGRAMS.flatMap((p) => sourceFiles(join(ROOT, p)));
const rel = (path: string) => relative(ROOT, path).split('\\').join('/');

/** The script blocks of a single-file component, or the whole text of a TypeScript module. */
function scriptOf(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

const CANDIDATES = ['', '.ts', '.vue', '/index.ts'];
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const suffix of CANDIDATES) {
    const candidate = base + suffix;
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

export function importGraph(paths: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const path of paths) {
    const info = ts.preProcessFile(scriptOf(path), true, true);
    const targets = info.importedFiles
      .map((f) => resolveImport(path, f.fileName))
      .filter((t): t is string => t !== undefined && /\.(ts|vue)$/.test(t));
    graph.set(path, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('the import graph', () => {
  it('finds a cycle when there is one (the walker itself)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('sees type-only imports and Vue script blocks', () => {
    const graph = importGraph(files);
    const background = graph.get(join(ROOT, 'extension/entrypoints/background/index.ts')) ?? [];
    expect(background.length).toBeGreaterThan(3);
    const sidepanel = [...graph.entries()].find(([p]) => p.endsWith('.vue') && graph.get(p)!.length > 0);
    expect(sidepanel).toBeDefined();
  });

  it('has no cycles in server/, shared/ and extension/', () => {
    const cycles = findCycles(importGraph(files)).map((c) => c.map(rel).join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('keeps shared/ free of server/ and extension/ imports', () => {
    const graph = importGraph(files.filter((f) => rel(f).startsWith('shared/') && !isTest(rel(f))));
    const leaks = [...graph.entries()].flatMap(([from, tos]) =>
      tos.filter((t) => !rel(t).startsWith('shared/')).map((t) => `${rel(from)} -> ${rel(t)}`),
    );
    expect(leaks).toEqual([]);
  });
});

describe('file size', () => {
  it(`has no non-test source file over ${MAX_LINES} lines without a reason on its first line`, () => {
    const unexplained: string[] = [];
    for (const path of files.map(rel).filter((p) => !isTest(p))) {
      const lines = readFileSync(join(ROOT, path), 'utf8').trimEnd().split('\n');
      const long = lines.length > MAX_LINES;
      if (long && !/Over 400 lines: \S/.test(lines[0] ?? '')) unexplained.push(`${path} (${lines.length} lines)`);
    }
    expect(unexplained).toEqual([]);
  });
});
