/**
 * Regression (issue 15 item 11): `npm run web` rebuilt the UI on every start (3-4 s). The build step
 * now runs Vite only when the UI sources changed since the last build.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureUiBuilt, UI_OUT_DIR } from '../../../scripts/buildUi';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'sr-buildui-'));
  roots.push(root);
  mkdirSync(join(root, 'src', 'renderer', 'views'), { recursive: true });
  mkdirSync(join(root, 'src', 'shared'), { recursive: true });
  writeFileSync(join(root, 'src', 'renderer', 'views', 'A.tsx'), 'export const a = 1;');
  writeFileSync(join(root, 'src', 'shared', 'b.ts'), 'export const b = 2;');
  writeFileSync(join(root, 'vite.renderer.config.ts'), 'export default {};');
  writeFileSync(join(root, 'package-lock.json'), '{}');
  return root;
}

/** A stand-in for Vite that writes an index.html and counts its runs. */
function counter(root: string): { run: () => boolean; count: () => number } {
  let n = 0;
  return {
    run: () => {
      n++;
      mkdirSync(join(root, UI_OUT_DIR), { recursive: true });
      writeFileSync(join(root, UI_OUT_DIR, 'index.html'), `<html>${n}</html>`);
      return true;
    },
    count: () => n,
  };
}

describe('UI build step of npm run web', () => {
  it('builds once, then skips until a source changes', () => {
    const root = fakeRepo();
    const vite = counter(root);
    expect(ensureUiBuilt(root, vite.run)).toBe('built');
    expect(ensureUiBuilt(root, vite.run)).toBe('skipped');
    expect(vite.count()).toBe(1);
    writeFileSync(join(root, 'src', 'shared', 'b.ts'), 'export const b = 3;');
    expect(ensureUiBuilt(root, vite.run)).toBe('built');
    writeFileSync(join(root, 'src', 'renderer', 'views', 'New.tsx'), 'export {};');
    expect(ensureUiBuilt(root, vite.run)).toBe('built');
    expect(ensureUiBuilt(root, vite.run)).toBe('skipped');
    expect(vite.count()).toBe(3);
  });

  it('rebuilds when the output is gone, when forced, and not after a failed build', () => {
    const root = fakeRepo();
    const vite = counter(root);
    ensureUiBuilt(root, vite.run);
    rmSync(join(root, UI_OUT_DIR, 'index.html'));
    expect(ensureUiBuilt(root, vite.run)).toBe('built');
    expect(ensureUiBuilt(root, vite.run, { force: true })).toBe('built');
    writeFileSync(join(root, 'src', 'shared', 'b.ts'), 'broken');
    expect(ensureUiBuilt(root, () => false)).toBe('failed');
    expect(ensureUiBuilt(root, vite.run)).toBe('built');
  });
});

describe('the Playwright web server', () => {
  // Regression (issue 12 section 3): every Playwright run rebuilt the UI, changed or not. The web
  // server now goes through the same fingerprinted build step as `npm run web`, which still
  // rebuilds after any change to the UI sources and builds a clean clone.
  it.each(['playwright.config.ts', 'playwright.screenshots.config.ts'])('%s builds the UI through scripts/buildUi.ts', (config) => {
    const text = readFileSync(join(__dirname, '..', '..', '..', config), 'utf8');
    expect(text).toContain('npx tsx scripts/buildUi.ts && npx tsx src/main/webMain.ts');
    expect(text).not.toContain('vite build');
  });
});
