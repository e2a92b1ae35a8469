/**
 * The README's Playwright example is a spec that runs with the suite: every
 * `<!-- example: path -->` block in README.md must quote that file verbatim, so the documented
 * example is exactly the tested one (issue 12: the README's snippet was flaky as written).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/g)].map((m) => ({ path: m[1]!, code: m[2]! }));

describe('README examples', () => {
  it('has at least the Playwright example', () => {
    expect(blocks.map((b) => b.path)).toContain('tests/e2e/readmeExample.spec.ts');
  });

  it.each(blocks)('quotes $path verbatim', ({ path, code }) => {
    expect(code).toBe(readFileSync(join(ROOT, path), 'utf8'));
  });
});
