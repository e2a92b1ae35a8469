/**
 * `usb` (libusb's native binding) is loaded only when real sticks are used: ant-plus-next's bundle imported it at
 * module load, so every host start — web mode, simulation, tests — loaded libusb (and failed on machines without
 * libudev). The host runs in a child process that records every native addon it loads.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/hostStartNoUsb.ts', import.meta.url));

function nativeAddons(arg: string): string[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, arg], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as string[];
}

describe('loading of the usb binding', () => {
  it('a host started without real sticks loads no usb binding; with sticks enabled it does', () => {
    expect(nativeAddons('no-usb').filter((f) => /[\\/]usb[\\/]/.test(f))).toEqual([]);
    expect(nativeAddons('usb').some((f) => /[\\/]usb[\\/]/.test(f))).toBe(true);
  }, 120_000);
});
