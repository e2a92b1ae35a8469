/**
 * The `.deb` maintainer scripts (docs/packaging.md "Linux"). A custom `afterInstall` replaces
 * electron-builder's own script (the /usr/bin link, the chrome-sandbox mode, the AppArmor
 * profile), so ours is composed at build time: electron-builder's template of the installed
 * version, then our part that installs the ANT+ udev rule and reloads udev. Nothing of theirs is
 * copied into this repository, and an electron-builder update brings its script along.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UDEV_RULE_RESOURCE } from './builderConfig';

/** Where the package puts the rule (udev always reads this folder). */
export const SYSTEM_UDEV_RULE = '/etc/udev/rules.d/51-garmin-ant.rules';

/** Our part of the post-install script: install the rule, reload udev, apply it to plugged sticks. */
export function udevInstallSnippet(): string {
  return [
    '',
    '# Sensor Relay: let the logged-in user open Garmin/Dynastream ANT+ USB sticks (docs/packaging.md)',
    // electron-builder replaces ${sanitizedProductName} when it writes the script (its install folder)
    `install -m 0644 '/opt/\${sanitizedProductName}/resources/${UDEV_RULE_RESOURCE}' '${SYSTEM_UDEV_RULE}' || true`,
    'if command -v udevadm >/dev/null 2>&1; then',
    '  udevadm control --reload-rules || true',
    '  # sticks already plugged in get the new permissions without a re-plug',
    '  udevadm trigger --subsystem-match=usb --attr-match=idVendor=0fcf || true',
    'fi',
    '',
  ].join('\n');
}

/** Our part of the post-remove script: drop the rule on remove/purge (not on upgrade) and reload. */
export function udevRemoveSnippet(): string {
  return [
    '',
    '# Sensor Relay: remove the ANT+ udev rule when the package is removed; an upgrade keeps it',
    'case "$1" in',
    '  remove|purge|0)',
    `    rm -f '${SYSTEM_UDEV_RULE}'`,
    '    if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi',
    '    ;;',
    'esac',
    '',
  ].join('\n');
}

/** electron-builder's own Linux script template of the installed version (`after-install` / `after-remove`). */
function builderTemplate(name: 'after-install' | 'after-remove'): string {
  const require = createRequire(import.meta.url);
  const libDir = dirname(require.resolve('app-builder-lib/package.json', { paths: [dirname(require.resolve('electron-builder/package.json'))] }));
  return readFileSync(join(libDir, 'templates', 'linux', `${name}.tpl`), 'utf8');
}

/**
 * Write the deb scripts into `dir` and return their paths. electron-builder still substitutes its
 * `${executable}` / `${sanitizedProductName}` placeholders in them.
 */
export function writeDebScripts(dir: string): { afterInstall: string; afterRemove: string } {
  mkdirSync(dir, { recursive: true });
  const afterInstall = join(dir, 'after-install.tpl');
  const afterRemove = join(dir, 'after-remove.tpl');
  writeFileSync(afterInstall, `${builderTemplate('after-install').trimEnd()}\n${udevInstallSnippet()}`, { mode: 0o755 });
  writeFileSync(afterRemove, `${builderTemplate('after-remove').trimEnd()}\n${udevRemoveSnippet()}`, { mode: 0o755 });
  return { afterInstall, afterRemove };
}
