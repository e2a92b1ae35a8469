/**
 * Test control's stale timeout (`sim.setStaleTimeout`): a QA test can make a metric go stale after
 * a short silence instead of its default (5 s for heart rate), and restore the default.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/main/host';
import { SampleHub, type HubDeviceEvent } from '../../../src/main/hub';
import { tempDataDir } from './recording/fakes';

function hubWithEvents(): { hub: SampleHub; events: HubDeviceEvent[] } {
  const hub = new SampleHub({ reorderWindowMs: 0 });
  const events: HubDeviceEvent[] = [];
  hub.onDeviceEvent((e) => events.push(e));
  return { hub, events };
}

describe('stale timeout override', () => {
  it('a heart rate goes stale after the set timeout, not after the default 5 s', () => {
    const { hub, events } = hubWithEvents();
    hub.setStaleAfterMs('heartRate', 300);
    hub.push({ tMs: 1000, deviceId: 'sim:a', metric: 'heartRate', value: 70 });
    hub.tick(1300);
    expect(events).toEqual([]);
    hub.tick(1301);
    expect(events).toEqual([{ type: 'stale', deviceId: 'sim:a', metric: 'heartRate', tMs: 1301 }]);
  });

  it('null restores the default timeout', () => {
    const { hub, events } = hubWithEvents();
    hub.setStaleAfterMs('heartRate', 300);
    hub.setStaleAfterMs('heartRate', null);
    hub.push({ tMs: 1000, deviceId: 'sim:a', metric: 'heartRate', value: 70 });
    hub.tick(2000);
    expect(events).toEqual([]);
    hub.tick(6001);
    expect(events.map((e) => e.type)).toEqual(['stale']);
  });

  it('the contract command sets it, and refuses an event-like metric with a sentence', async () => {
    const host = createHost({ mode: 'headless', dataDir: tempDataDir('stale'), isAntUsbEnabled: false, isTestControlEnabled: true });
    const dispatch = async (name: string, args: unknown): Promise<unknown> => {
      const out: unknown[] = [];
      const conn = host.connect((m) => out.push(m));
      await conn.receive({ kind: 'call', id: 1, name, args });
      conn.close();
      return out.find((m) => (m as { kind: string }).kind === 'reply');
    };
    expect(await dispatch('sim.setStaleTimeout', { metric: 'heartRate', staleAfterMs: 200 })).toMatchObject({ reply: { ok: true } });
    const refused = await dispatch('sim.setStaleTimeout', { metric: 'rrInterval', staleAfterMs: 200 });
    expect(refused).toMatchObject({ reply: { ok: false, code: 'CONTRACT_BAD_ARGS', message: expect.stringMatching(/never go stale/) } });
    expect(await dispatch('sim.setStaleTimeout', { metric: 'heartRate', staleAfterMs: 5 })).toMatchObject({ reply: { ok: false, code: 'CONTRACT_BAD_ARGS' } });
  });
  it('is a simulation command: a host started without --simulate or --test-control refuses it', async () => {
    const host = createHost({ mode: 'headless', dataDir: tempDataDir('stale-off'), isAntUsbEnabled: false });
    const out: unknown[] = [];
    const conn = host.connect((m) => out.push(m));
    await conn.receive({ kind: 'call', id: 1, name: 'sim.setStaleTimeout', args: { metric: 'heartRate', staleAfterMs: 200 } });
    conn.close();
    expect(out.find((m) => (m as { kind: string }).kind === 'reply')).toMatchObject({ reply: { ok: false, code: 'SIM_DISABLED' } });
  });
});
