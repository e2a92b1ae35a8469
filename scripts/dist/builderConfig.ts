/**
 * The electron-builder configuration of Sensor Relay (docs/packaging.md): what goes into the
 * package, the installers per platform, the Electron fuses flipped at package time, and the update
 * feed. One function builds it, so `npm run dist`, `npm run dist:check` and the tests read the same
 * object.
 */
import type { Configuration } from 'electron-builder';

/** electron-builder's fuse options (its `FuseOptionsV1`, not exported by name). */
type FuseOptions = NonNullable<Configuration['electronFuses']>;

/** The app id (reverse DNS; also the Windows AppUserModelID and the macOS bundle id). */
export const APP_ID = 'io.sensorrelay.app';
/** The name users see. */
export const PRODUCT_NAME = 'Sensor Relay';
/** The Linux executable and package name. */
export const EXECUTABLE_NAME = 'sensor-relay';

/**
 * Electron fuses flipped in the packaged binary (docs/packaging.md "Fuses"). Everything a local
 * attacker could use to run other code with the app's identity is off; the app code must come
 * from the integrity-checked app.asar.
 */
export const ELECTRON_FUSES: Required<Omit<FuseOptions, 'resetAdHocDarwinSignature' | 'loadBrowserProcessSpecificV8Snapshot'>> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

/**
 * `usb` ships prebuilt N-API binaries (N-API is ABI-stable across Node and Electron versions, so
 * no rebuild against Electron's headers is needed). These are the platform folders the package
 * must carry; electron-builder unpacks `.node` files next to app.asar.
 */
export const USB_PREBUILD_DIRS = ['linux-x64', 'win32-x64', 'darwin-x64+arm64'] as const;

/** Paths inside the app that must never be packaged (sources, tests, tooling, source maps). */
export const EXCLUDED_FROM_PACKAGE = ['src/', 'tests/', 'bench/', 'docs/', 'scripts/', 'resources/', '.tmp/', 'test-results/'] as const;

/** Dev-only packages that must not be in the package (a sample of the heavy ones, checked by dist:check). */
export const DEV_ONLY_PACKAGES = ['electron', 'electron-builder', 'vite', 'typescript', 'vitest', '@playwright/test', 'react', 'react-dom', 'uplot', 'zustand'] as const;

/** Where the udev rule for ANT+ sticks lands inside the package's resources folder. */
export const UDEV_RULE_RESOURCE = 'udev/51-garmin-ant.rules';

/** Inputs that differ between a real build and the check. */
export interface BuilderConfigOptions {
  /** The electron-vite output to package (default `out`, relative to the project). */
  readonly builtDir?: string;
  /** Where installers are written (default `dist`). */
  readonly outputDir?: string;
  /** An unpacked Electron to use instead of downloading one (the check's stand-in). */
  readonly electronDist?: string;
  /** Generated deb maintainer scripts (see linuxScripts.ts). */
  readonly debScripts?: { readonly afterInstall: string; readonly afterRemove: string };
  /** Folder with the generated third-party licence notices (see licenses.ts). */
  readonly licensesDir?: string;
  /** Update feed URL (generic provider); without it the build has no feed and updates stay off. */
  readonly updateUrl?: string;
}

/** Files under node_modules that never run: docs, type definitions, sources of native code, tests. */
const NODE_MODULES_NOISE = [
  '!**/node_modules/**/{README,CHANGELOG,HISTORY,AUTHORS}*',
  '!**/node_modules/**/*.{md,markdown,ts,mts,cts,map,tsbuildinfo}',
  '!**/node_modules/**/{test,tests,__tests__,example,examples,docs,.github}/**',
  // usb: the C++ sources, libusb sources and the prebuilds of platforms we do not ship
  '!**/node_modules/usb/binding.gyp',
  '!**/node_modules/usb/libusb/**',
  '!**/node_modules/usb/src/**',
  // node-addon-api is usb's C++ header package for compiling; the prebuilds need none of it
  '!**/node_modules/node-addon-api/**',
  '!**/node_modules/usb/prebuilds/{android-arm,android-arm64,linux-arm,linux-ia32,win32-ia32}/**',
];

/** The electron-builder configuration. */
export function builderConfig(options: BuilderConfigOptions = {}): Configuration {
  const builtDir = options.builtDir ?? 'out';
  const extraResources: NonNullable<Configuration['extraResources']> = [
    { from: 'resources/udev/51-garmin-ant.rules', to: UDEV_RULE_RESOURCE },
  ];
  if (options.licensesDir) extraResources.push({ from: options.licensesDir, to: 'licenses' });
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: 'Copyright © Sensor Relay contributors',
    directories: { output: options.outputDir ?? 'dist', buildResources: 'build' },
    ...(options.electronDist ? { electronDist: options.electronDist } : {}),
    // only what runs: the built app and package.json; production node_modules are added by
    // electron-builder from the lockfile's dependency tree (devDependencies never are)
    files: ['package.json', { from: builtDir, to: 'out', filter: ['**/*', '!**/*.map'] }, ...NODE_MODULES_NOISE],
    extraResources,
    asar: true,
    // every native module we use is N-API with prebuilds: never compile on the build machine
    npmRebuild: false,
    buildDependenciesFromSource: false,
    electronFuses: { ...ELECTRON_FUSES },
    fileAssociations: [],
    protocols: [],
    publish: options.updateUrl ? [{ provider: 'generic', url: options.updateUrl }] : null,
    linux: {
      target: ['AppImage', 'deb'],
      executableName: EXECUTABLE_NAME,
      category: 'Science',
      icon: 'build/icon.png',
      synopsis: 'Live wearable sensor data to a streaming broker',
      description: 'Reads Bluetooth LE and ANT+ sensors, shows live charts, records sessions and forwards readings to a Terra-compatible broker.',
      desktop: { entry: { Categories: 'Science;MedicalSoftware;Sports;', Keywords: 'ANT+;Bluetooth;heart rate;power;sensor;' } },
    },
    deb: {
      // libudev1: usb needs it at run time; the rest are Electron's usual needs
      depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'libudev1'],
      ...(options.debScripts ? { afterInstall: options.debScripts.afterInstall, afterRemove: options.debScripts.afterRemove } : {}),
    },
    appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
    win: { target: [{ target: 'nsis', arch: ['x64'] }], icon: 'build/icon.png' },
    nsis: {
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      artifactName: '${productName}-Setup-${version}.${ext}',
      shortcutName: PRODUCT_NAME,
    },
    mac: {
      target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
      category: 'public.app-category.healthcare-fitness',
      icon: 'build/icon.png',
      hardenedRuntime: true,
      extendInfo: { NSBluetoothAlwaysUsageDescription: 'Sensor Relay reads heart-rate straps, power meters and other Bluetooth sensors you add.' },
    },
    dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  };
}

/** The electron-vite CLI script (its package exports no `bin/` subpath, so resolve through package.json). */
export function electronViteCli(resolvePackageJson: (id: string) => string): string {
  return resolvePackageJson('electron-vite/package.json').replace(/package\.json$/, 'bin/electron-vite.js');
}
