/** Tap to claim on its own: one claim at a time, outcomes told once, the strap handed over with a sentence. */
import { describe, expect, it } from 'vitest';
import { ClaimFlow } from '../../../../src/main/roster/claimFlow';
import { RosterBook } from '../../../../src/main/roster/rosterBook';
import type { Sample } from '../../../../src/shared/sample';
import { tempDataDir } from './harness';

function setup() {
  let t = 1000;
  const book = new RosterBook({ dataDir: tempDataDir(), notice: () => undefined });
  const ana = book.upsert({ name: 'Ana' });
  const ben = book.upsert({ name: 'Ben' });
  if (!ana.ok || !ben.ok) throw new Error('roster setup failed');
  const notices: string[] = [];
  const claims: unknown[] = [];
  const names: Record<string, string> = { 'ant:120:1': 'Strap 1', 'ant:120:2': 'Strap 2' };
  const flow = new ClaimFlow({
    book,
    devices: { list: () => Object.keys(names).map((id) => ({ id })), get: (id) => (names[id] ? { name: names[id]! } : undefined) },
    lastValue: (id) => (id === 'ant:120:1' ? 80 : 90),
    notice: (_level, message) => notices.push(message),
    emitClaim: (p) => claims.push(p),
    changed: () => undefined,
    now: () => t,
  });
  const hr = (deviceId: string, value: number): Sample => ({ tMs: t, deviceId, metric: 'heartRate', value });
  return { book, flow, notices, claims, hr, ana: ana.value, ben: ben.value, advance: (ms: number) => (t += ms) };
}

describe('ClaimFlow', () => {
  it('assigns the strap whose heart rate rose, and says whose strap it now is', () => {
    const g = setup();
    expect(g.flow.start(g.ana.id).ok).toBe(true);
    expect(g.flow.offer(g.hr('ant:120:2', 95))).toBe(false); // +5 over its baseline of 90
    expect(g.flow.offer(g.hr('ant:120:1', 91))).toBe(true); // +11 over 80
    expect(g.book.ownerOf('ant:120:1')?.id).toBe(g.ana.id);
    expect(g.notices).toEqual(["Strap 1 is now Ana's strap."]);
    expect(g.claims).toEqual([{ participantId: g.ana.id, outcome: 'assigned', deviceId: 'ant:120:1' }]);
    expect(g.flow.state).toBeNull();
  });

  it('a new claim cancels the one in progress; a timed-out claim says what to try', () => {
    const g = setup();
    g.flow.start(g.ana.id);
    g.flow.start(g.ben.id, { timeoutMs: 5000 });
    expect(g.claims).toEqual([{ participantId: g.ana.id, outcome: 'cancelled', deviceId: null }]);
    g.advance(4999);
    g.flow.tick(1000 + 4999);
    expect(g.flow.state?.participantId).toBe(g.ben.id);
    g.flow.tick(1000 + 5001);
    expect(g.claims.at(-1)).toEqual({ participantId: g.ben.id, outcome: 'timeout', deviceId: null });
    expect(g.notices.at(-1)).toMatch(/^No strap claimed for Ben: .*Try again/);
  });

  it('cancelling for another participant leaves the claim running; an unknown participant cannot claim', () => {
    const g = setup();
    g.flow.start(g.ana.id);
    g.flow.cancel(g.ben.id);
    expect(g.flow.state?.participantId).toBe(g.ana.id);
    expect(g.flow.start('nobody').ok).toBe(false);
  });
});
