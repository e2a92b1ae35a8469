/**
 * The packaging configuration: fuses, targets, what the package holds, the deb scripts, and the
 * rules dist:check applies to app.asar (each rule shown failing on a listing that breaks it).
 */
import { describe, expect, it } from 'vitest';
import { APP_ID, ELECTRON_FUSES, PRODUCT_NAME, builderConfig } from '../../../scripts/dist/builderConfig';
import { udevInstallSnippet, udevRemoveSnippet } from '../../../scripts/dist/linuxScripts';
import { bareImports, checkPackageContents, htmlAssets, type PackageListing } from '../../../scripts/dist/packageContents';
import { packagesFromSources } from '../../../scripts/dist/licenses';

describe('electron-builder configuration', () => {
  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; encrypted cookies; app code only from an integrity-checked asar; no file:// privileges', () => {
    expect(ELECTRON_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(builderConfig().electronFuses).toEqual(ELECTRON_FUSES);
  });

  it('builds AppImage + deb, NSIS and dmg with the app id, name, icon and categories', () => {
    const c = builderConfig();
    expect(c.appId).toBe(APP_ID);
    expect(c.productName).toBe(PRODUCT_NAME);
    expect(c.linux?.target).toEqual(['AppImage', 'deb']);
    expect(c.linux?.category).toBe('Science');
    expect(c.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(c.mac?.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(c.mac?.category).toBe('public.app-category.healthcare-fitness');
    expect(c.fileAssociations).toEqual([]);
    for (const icon of [c.linux?.icon, c.win?.icon, c.mac?.icon]) expect(icon).toBe('build/icon.png');
  });

  it('packages only the built app and production modules, never compiles native code, and ships the udev rule', () => {
    const c = builderConfig({ builtDir: '/tmp/x/out' });
    expect(c.files).toEqual(expect.arrayContaining(['package.json', { from: '/tmp/x/out', to: 'out', filter: ['**/*', '!**/*.map'] }]));
    expect(c.npmRebuild).toBe(false);
    expect(c.asar).toBe(true);
    expect(c.extraResources).toEqual(expect.arrayContaining([{ from: 'resources/udev/51-garmin-ant.rules', to: 'udev/51-garmin-ant.rules' }]));
  });

  it('has no update feed unless one is given, and a generic feed when it is', () => {
    expect(builderConfig().publish).toBeNull();
    expect(builderConfig({ updateUrl: 'https://updates.example.org/sensor-relay' }).publish).toEqual([{ provider: 'generic', url: 'https://updates.example.org/sensor-relay' }]);
  });

  it('the deb scripts install the udev rule, reload udev and remove the rule on remove but not on upgrade', () => {
    const install = udevInstallSnippet();
    expect(install).toContain("install -m 0644 '/opt/${sanitizedProductName}/resources/udev/51-garmin-ant.rules' '/etc/udev/rules.d/51-garmin-ant.rules'");
    expect(install).toContain('udevadm control --reload-rules');
    expect(install).toContain('udevadm trigger --subsystem-match=usb --attr-match=idVendor=0fcf');
    const remove = udevRemoveSnippet();
    expect(remove).toMatch(/remove\|purge\|0\)\s+rm -f '\/etc\/udev\/rules.d\/51-garmin-ant.rules'/);
    expect(remove).not.toMatch(/upgrade\s*[|)]/); // dpkg runs postrm with "upgrade": the rule must stay
  });
});

const GOOD: PackageListing = {
  files: [
    'package.json',
    'out/main/index.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
    'out/renderer/assets/index-1.js',
    'out/renderer/assets/index-1.css',
    'node_modules/ws/package.json',
    'node_modules/usb/package.json',
    'node_modules/usb/prebuilds/linux-x64/node.napi.glibc.node',
    'node_modules/usb/prebuilds/win32-x64/node.napi.node',
    'node_modules/usb/prebuilds/darwin-x64+arm64/node.napi.node',
  ],
  unpacked: ['node_modules/usb/prebuilds/linux-x64/node.napi.glibc.node', 'node_modules/usb/prebuilds/win32-x64/node.napi.node', 'node_modules/usb/prebuilds/darwin-x64+arm64/node.napi.node'],
  main: 'out/main/index.js',
  indexHtml: '<script type="module" crossorigin src="./assets/index-1.js"></script><link rel="stylesheet" href="./assets/index-1.css">',
  mainImports: ['usb', 'ws'],
};

function failing(listing: PackageListing): string[] {
  return checkPackageContents(listing).filter((c) => !c.ok).map((c) => c.name);
}

describe('package content rules', () => {
  it('pass on a complete package', () => {
    expect(failing(GOOD)).toEqual([]);
  });

  it('catch a missing entry, preload, renderer asset or main-process package', () => {
    expect(failing({ ...GOOD, main: 'out/main/main.js' })).toEqual(['entry point resolves']);
    expect(failing({ ...GOOD, files: GOOD.files.filter((f) => !f.startsWith('out/preload')) })).toEqual(['preload present']);
    expect(failing({ ...GOOD, files: GOOD.files.filter((f) => !f.endsWith('.css')) })).toEqual(['renderer present']);
    expect(failing({ ...GOOD, mainImports: ['usb', 'ws', 'zod'] })).toEqual(['main-process packages present']);
  });

  it('catch a missing or still-archived usb prebuild', () => {
    expect(failing({ ...GOOD, files: GOOD.files.filter((f) => !f.includes('win32-x64')) })).toEqual(['usb prebuild win32-x64']);
    expect(failing({ ...GOOD, unpacked: GOOD.unpacked.filter((f) => !f.includes('darwin')) })).toEqual(['usb prebuild darwin-x64+arm64']);
  });

  it('catch sources, tests, source maps, dev packages and a rebuilt usb', () => {
    expect(failing({ ...GOOD, files: [...GOOD.files, 'src/main/index.ts'] })).toEqual(['no sources, tests, tooling or source maps']);
    expect(failing({ ...GOOD, files: [...GOOD.files, 'out/main/index.js.map'] })).toEqual(['no sources, tests, tooling or source maps']);
    expect(failing({ ...GOOD, files: [...GOOD.files, 'tests/unit/x.test.js'] })).toEqual(['no sources, tests, tooling or source maps']);
    expect(failing({ ...GOOD, files: [...GOOD.files, 'node_modules/react/package.json'] })).toEqual(['no dev-only packages']);
    expect(failing({ ...GOOD, files: [...GOOD.files, 'node_modules/usb/build/Release/usb_bindings.node'] })).toEqual(['usb not rebuilt (N-API prebuilds only)']);
  });

  it('read bare imports of a bundle and the assets of a page', () => {
    const src = 'import { app } from "electron";\nimport { z } from "zod";\nimport { join } from "node:path";\nimport x from "@garmin/fitsdk";\nimport "./chunks/a.js";\nconst m = await import("usb");';
    expect(bareImports(src)).toEqual(['@garmin/fitsdk', 'usb', 'zod']);
    expect(htmlAssets(GOOD.indexHtml!)).toEqual(['assets/index-1.js', 'assets/index-1.css']);
  });

  it('find the bundled packages in source-map paths', () => {
    expect(packagesFromSources(['../../node_modules/react/cjs/react.production.js', '../../node_modules/@scope/pkg/index.js', '../../src/renderer/main.tsx', 'C:\\x\\node_modules\\uplot\\dist\\uPlot.esm.js'])).toEqual(['@scope/pkg', 'react', 'uplot']);
  });
});
