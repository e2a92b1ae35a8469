/**
 * The jobs split out of the host's composition root, each on its own: clock pings, device-list
 * pushes, attaching a UI transport. The host-level behaviour is covered again in clockSync,
 * ghostDevices and contract tests; these pin each job's own rules with injected timers.
 */
import { describe, expect, it } from 'vitest';
import { ClockSync } from '../../../src/main/clockSync';
import { ClockPinger } from '../../../src/main/clockPings';
import type { Handlers } from '../../../src/main/contract/server';
import { DeviceListPush } from '../../../src/main/deviceListPush';
import { DeviceRegistry } from '../../../src/main/devices';
import { UiEvents } from '../../../src/main/events';
import type { IntervalTimers } from '../../../src/main/intervalTimers';
import { attachUi } from '../../../src/main/uiConnections';

/** Interval timers a test fires by hand. */
function manualTimers(): IntervalTimers & { fire(): void; readonly active: number } {
  const fns = new Map<number, () => void>();
  let next = 0;
  return {
    setInterval: (fn) => {
      fns.set(++next, fn);
      return next;
    },
    clearInterval: (h) => void fns.delete(h as number),
    fire: () => {
      for (const fn of fns.values()) fn();
    },
    get active() {
      return fns.size;
    },
  };
}

type Sent = { readonly id: string; readonly name: string; readonly payload: unknown };

function recordingEvents(ids: string[], sent: Sent[], now = () => 1234): UiEvents {
  const events = new UiEvents(now);
  for (const id of ids) events.add({ id, send: (name, payload) => sent.push({ id, name, payload }) });
  return events;
}

const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ClockPinger', () => {
  it('pings every connected UI on each period and stops when told', () => {
    const sent: Sent[] = [];
    const timers = manualTimers();
    const pinger = new ClockPinger(recordingEvents(['ui-a', 'ui-b'], sent), new ClockSync(() => 500), 30_000, timers);
    pinger.start();
    timers.fire();
    expect(sent.map((m) => [m.id, m.name])).toEqual([['ui-a', 'clockPing'], ['ui-b', 'clockPing']]);
    expect(sent[0]!.payload).toMatchObject({ hostSendMs: 500 });
    pinger.stop();
    expect(timers.active).toBe(0);
  });

  it('does not ping a UI that has already gone', () => {
    const sent: Sent[] = [];
    const pinger = new ClockPinger(recordingEvents(['ui-a'], sent), new ClockSync(), 30_000, manualTimers());
    pinger.pingOne('ui-gone');
    expect(sent).toEqual([]);
  });
});

describe('DeviceListPush', () => {
  it('sends one device list for a burst of registry changes', async () => {
    const sent: Sent[] = [];
    const devices = new DeviceRegistry(() => 0);
    const push = new DeviceListPush(devices, recordingEvents(['ui-a'], sent), manualTimers());
    devices.upsert({ id: 'ble:1', name: 'Strap', kind: 'hr', source: 'ble', isSimulated: true });
    devices.upsert({ id: 'ble:2', name: 'Meter', kind: 'power', source: 'ble', isSimulated: true });
    devices.setStatus('ble:1', 'live', 'test');
    await flushMicrotasks();
    expect(sent.filter((m) => m.name === 'devices')).toHaveLength(1);
    expect((sent[0]!.payload as { devices: { id: string }[] }).devices.map((d) => d.id)).toEqual(['ble:1', 'ble:2']);
    push.dispose();
  });

  it('re-sends the list on the period only when "last seen" moved', async () => {
    const sent: Sent[] = [];
    const timers = manualTimers();
    const devices = new DeviceRegistry(() => 0);
    devices.upsert({ id: 'ble:1', name: 'Strap', kind: 'hr', source: 'ble', status: 'live', isSimulated: true });
    const push = new DeviceListPush(devices, recordingEvents(['ui-a'], sent), timers);
    push.start();
    devices.noteSamples([{ tMs: 10, deviceId: 'ble:1', metric: 'heartRate', value: 120 }]);
    timers.fire();
    await flushMicrotasks();
    expect(sent).toHaveLength(1);
    expect((sent[0]!.payload as { devices: { lastSeenMs: number }[] }).devices[0]!.lastSeenMs).toBe(10);
    timers.fire(); // nothing moved since
    await flushMicrotasks();
    expect(sent).toHaveLength(1);
    push.dispose();
    expect(timers.active).toBe(0);
  });
});

describe('attachUi', () => {
  it('gives each transport an id, pings its clock, answers its calls and reports its close once', async () => {
    const events = new UiEvents();
    const closed: string[] = [];
    const handlers = { 'host.ping': () => ({ pong: true }) } as unknown as Handlers;
    const deps = { events, pinger: new ClockPinger(events, new ClockSync()), handlers: () => handlers, onClose: (id: string) => closed.push(id) };
    const out: { kind: string; name?: string; id?: number; reply?: unknown }[] = [];
    const a = attachUi(deps, (m) => out.push(m as (typeof out)[number]));
    const b = attachUi(deps, () => undefined);
    expect(a.id).not.toBe(b.id);
    await flushMicrotasks();
    expect(out.filter((m) => m.name === 'clockPing')).toHaveLength(1);
    events.emit('notice', { level: 'info', message: 'hello', tMs: 1 });
    expect(out.at(-1)).toMatchObject({ kind: 'event', name: 'notice' });
    await a.receive({ kind: 'call', id: 7, name: 'no.such.command', args: {} });
    expect(out.at(-1)).toMatchObject({ kind: 'reply', id: 7, reply: { ok: false } });
    a.close();
    a.close();
    expect(closed).toEqual([a.id]);
    expect(events.ids()).toEqual([b.id]);
  });
});
