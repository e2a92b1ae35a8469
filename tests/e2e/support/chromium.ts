/**
 * Which Chromium Playwright drives: its own downloaded build where it exists, else the system's
 * (Debian's /usr/bin/chromium, or $CHROMIUM_PATH), with the flags a closed-network CI machine needs.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags for every launch: no sandbox as root in CI, no GPU, no background network traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The executable to use, or undefined to let Playwright use its own build. */
export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
