/**
 * `npm run dist:check` inside `npm test`: the app is built and packaged with electron-builder's
 * `dir` target against a stand-in Electron, and app.asar holds exactly what runs. A failing rule
 * prints what it found, so a dependency or build change that breaks the package shows here.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, runDistCheck } from '../../../scripts/dist/check';

describe('dist:check (electron-builder dir target, stand-in Electron)', () => {
  it('packages the entry, preload, renderer, usb prebuilds, fuses, udev rule and licences, and nothing excluded', async () => {
    const report = await runDistCheck();
    console.log(formatReport(report));
    const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    expect(failed).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'entry point resolves',
        'preload present',
        'renderer present',
        'usb prebuild linux-x64',
        'usb prebuild win32-x64',
        'usb prebuild darwin-x64+arm64',
        'no sources, tests, tooling or source maps',
        'no dev-only packages',
        'fuses flipped in the packaged binary',
        'udev rule in resources',
        'licences present',
      ]),
    );
    // the installers that need downloads are named, not silently skipped
    expect(report.notBuilt.join('\n')).toMatch(/AppImage[\s\S]*NSIS[\s\S]*dmg/);
  }, 180_000);
});
