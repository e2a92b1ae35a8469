/** The device registry's link state: when a device counts as live again, and who decides staleness. */
import { describe, expect, it } from 'vitest';
import { DeviceRegistry, followHubStaleness, type LinkEvent } from '../../../src/main/devices';
import { SampleHub } from '../../../src/main/hub';

function setup(): { clock: { t: number }; registry: DeviceRegistry; hub: SampleHub; links: LinkEvent[] } {
  const clock = { t: 1_000_000 };
  const registry = new DeviceRegistry(() => clock.t);
  const hub = new SampleHub({ now: () => clock.t, reorderWindowMs: 50 });
  hub.subscribeLive((b) => registry.noteSamples(b));
  followHubStaleness(hub, registry);
  const links: LinkEvent[] = [];
  registry.onLinkEvent((e) => links.push(e));
  return { clock, registry, hub, links };
}

describe('DeviceRegistry link state', () => {
  it('does not report "reconnected" for readings taken before the stick was unplugged but delivered after', () => {
    // Regression (issue 13, "False reconnected"): 10 of 40 devices went stale (unplugged) and were
    // "reconnected" 16 ms later with no new data, because samples released late flipped them live.
    const { clock, registry, hub, links } = setup();
    const ids = Array.from({ length: 40 }, (_, i) => `ant:120:${i + 1}`);
    for (const id of ids) registry.upsert({ id, name: id, kind: 'hr', source: 'ant', isSimulated: true });
    for (const id of ids) hub.push({ tMs: clock.t, deviceId: id, metric: 'heartRate', value: 70 });
    hub.tick(clock.t);
    expect(ids.every((id) => registry.get(id)?.status === 'live')).toBe(true);
    // readings received, not yet released by the hub; then the stick is pulled
    clock.t += 4;
    for (const id of ids) hub.push({ tMs: clock.t, deviceId: id, metric: 'heartRate', value: 71 });
    clock.t += 2;
    for (const id of ids) registry.setStatus(id, 'stale', 'ANT+ stick unplugged');
    clock.t += 16;
    hub.tick(clock.t);
    hub.tick(clock.t + 100);
    expect(links.filter((e) => e.reason === 'reconnected')).toHaveLength(0);
    expect(ids.every((id) => registry.get(id)?.status === 'stale')).toBe(true);
    // a reading taken after the unplug brings a device back
    clock.t += 1000;
    hub.push({ tMs: clock.t, deviceId: ids[0]!, metric: 'heartRate', value: 72 });
    hub.tick(clock.t);
    expect(links.filter((e) => e.reason === 'reconnected').map((e) => e.deviceId)).toEqual([ids[0]]);
  });

  it('marks a silent device stale from the hub\'s metric timeout, once', () => {
    const { clock, registry, hub, links } = setup();
    registry.upsert({ id: 'ant:120:1', name: 'HR 1', kind: 'hr', source: 'ant', isSimulated: true });
    hub.push({ tMs: clock.t, deviceId: 'ant:120:1', metric: 'heartRate', value: 70 });
    hub.tick(clock.t);
    hub.tick(clock.t + 4000); // the heart-rate timeout is 5 s; nothing else decides earlier
    expect(registry.get('ant:120:1')?.status).toBe('live');
    hub.tick(clock.t + 6000);
    hub.tick(clock.t + 9000);
    expect(links.filter((e) => e.status === 'stale').map((e) => e.reason)).toEqual(['no data for heartRate']);
  });
});
