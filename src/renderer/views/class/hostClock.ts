/**
 * The host's clock as seen from this page. Readings carry the host's reception time; a TV's
 * browser on another machine may have a clock seconds off, which would make every reading look
 * stale (or fresh for too long). The host's `clockPing` events carry its clock; the offset from
 * the newest one (one-way LAN latency, a few ms) converts this page's clock to the host's.
 */
import { client } from '../../app';

let offsetMs = 0;
let isListening = false;

/** Start following the host's clock pings (idempotent). */
export function followHostClock(): void {
  if (isListening) return;
  isListening = true;
  client.on('clockPing', ({ hostSendMs }) => {
    offsetMs = hostSendMs - (performance.timeOrigin + performance.now());
  });
}

/** This page's clock converted to the host's (epoch ms). */
export function toHostTime(localMs: number): number {
  return localMs + offsetMs;
}
