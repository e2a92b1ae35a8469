/**
 * Comments cite this repository's docs/, never the design notes and references that lived outside
 * it: a newcomer with only this clone must be able to follow every citation. Every
 * `docs/<name>.md` a file cites must exist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const FOLDERS = ['src', 'tests', 'bench', 'scripts', 'kit'];
const SKIP = new Set(['node_modules', 'lint-fixtures', 'out']);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

const files = FOLDERS.filter((f) => existsSync(join(ROOT, f))).flatMap((f) => sourceFiles(join(ROOT, f)));
// built so that this file does not cite them itself
const OUTSIDE = [['reference', '/'].join(''), ['DESIGN', '.md'].join(''), ['../shared', '/reference'].join('')];

describe('citations in comments', () => {
  it('name no file outside this repository', () => {
    const offenders = files.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      return OUTSIDE.filter((needle) => text.includes(needle)).map((needle) => `${relative(ROOT, path)}: ${needle}`);
    });
    expect(offenders).toEqual([]);
  });

  it('name only docs/ files that exist', () => {
    const missing = files.flatMap((path) => {
      const cited = readFileSync(path, 'utf8').match(/docs\/[a-z0-9-]+\.md/g) ?? [];
      return cited.filter((doc) => !existsSync(join(ROOT, doc))).map((doc) => `${relative(ROOT, path)}: ${doc}`);
    });
    expect(files.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
