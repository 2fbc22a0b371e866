import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';

/**
 * What a clone of the repository must hold on its own: no file points outside it (CI and a clone
 * have nothing beside it), and docker-compose is safe to run as it is.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const SKIP = new Set(['node_modules', '.git', '.nx', 'data', 'tmp', 'dist', 'coverage']);
const TEXT = new Set(['.md', '.ts', '.js', '.mjs', '.json', '.yml', '.yaml']);

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return TEXT.has(extname(entry.name)) && entry.name !== 'package-lock.json' ? [path] : [];
  });

describe('the repository stands on its own', () => {
  const all = files(ROOT);

  it('links nothing outside itself: no ../shared, and every relative Markdown link resolves inside the repository', () => {
    expect(all.length).toBeGreaterThan(50);
    const OUTSIDE = /(?:\.\.\/)+shared\/(?:DESIGN\.md|STYLE\.md|STACK\.md|seed|domain\/)|\/work\/(?:shared|coord)\//;
    const outside = all.filter((f) => f !== __filename && OUTSIDE.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(outside).toEqual([]);
    const broken: string[] = [];
    for (const file of all.filter((f) => f.endsWith('.md'))) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const path = resolve(dirname(file), target);
        if (relative(ROOT, path).startsWith('..') || !existsSync(path)) broken.push(`${relative(ROOT, file)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(statSync(join(ROOT, 'docs', 'design.md')).size).toBeGreaterThan(2000);
  });

  it('runs docker-compose safely: pinned images, a healthcheck on the API, no host port 5432, node_modules not the host\'s', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const images = [...compose.matchAll(/^\s+image:\s*(\S+)/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(3);
    expect(images.filter((i) => !/(@sha256:[0-9a-f]{64}|:\d+\.\d+(\.\d+)*[\w.-]*)$/.test(i))).toEqual([]);
    const api = compose.slice(compose.indexOf('\n  api:'), compose.indexOf('\n  kurrentdb:'));
    expect(api).toMatch(/healthcheck:[\s\S]*\/health/);
    expect(api).toMatch(/-\s*node_modules:\/app\/node_modules/);
    expect(compose).not.toMatch(/["'\s]\d{0,5}:?5432:5432/);
    expect(compose).not.toMatch(/ports:\s*\[\s*"5432/);
  });
});
