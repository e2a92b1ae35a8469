/**
 * Issue 11 items 4 and 5. Symptoms guarded: `sim.load` read any file (the first line of the
 * password database appeared in the error; /dev/zero exhausted memory) and every `sim.*` command
 * worked on a host started without `--simulate`/`--test-control`; `samples.ingest` accepted
 * `ant:` devices from a renderer.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../../src/main/host';
import { MAX_SCENARIO_BYTES } from '../../../../src/main/sim/scenarioFiles';

function host(isTestControlEnabled: boolean): { h: Host; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'sr-simgate-'));
  return { h: createHost({ mode: 'headless', dataDir, isTestControlEnabled }), dataDir };
}

async function call(h: Host, name: string, args: unknown) {
  return h.call({ kind: 'call', id: 1, name, args });
}

describe('simulation commands', () => {
  it('do not exist on a host started without --simulate or --test-control', async () => {
    const { h } = host(false);
    for (const [name, args] of [
      ['sim.load', { name: 'demo' }],
      ['sim.list', {}],
      ['sim.scenarios', {}],
      ['sim.addDevice', { kind: 'hr', name: 'x' }],
      ['sim.setValue', { deviceId: 'sim:x', metric: 'heartRate', value: 80 }],
    ] as const) {
      expect(await call(h, name, args)).toMatchObject({ ok: false, code: 'SIM_DISABLED' });
    }
    expect(h.sim.list()).toEqual([]);
  });

  it('load built-ins and scenario files from the data folder only, never an arbitrary path', async () => {
    const { h, dataDir } = host(true);
    expect(await call(h, 'sim.load', { name: 'steady3' })).toMatchObject({ ok: true });
    for (const name of ['/etc/passwd', '../../../../etc/passwd', '/dev/zero', 'scenarios/../../x']) {
      const r = await call(h, 'sim.load', { name });
      expect(r).toMatchObject({ ok: false, code: 'SIM_UNKNOWN_SCENARIO' });
      expect(!r.ok && r.message).not.toMatch(/root:/);
    }
    mkdirSync(join(dataDir, 'scenarios'));
    writeFileSync(join(dataDir, 'scenarios', 'mine.json'), JSON.stringify({ name: 'mine', devices: [{ id: 'a', kind: 'hr', name: 'A', metrics: { heartRate: { type: 'steady', value: 70 } } }] }));
    writeFileSync(join(dataDir, 'scenarios', 'secretish.json'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(join(dataDir, 'scenarios', 'huge.json'), Buffer.alloc(MAX_SCENARIO_BYTES + 1, 0x20));
    expect(await call(h, 'sim.load', { name: 'mine' })).toMatchObject({ ok: true });
    expect(h.sim.list().map((d) => d.name)).toEqual(['A']);
    const notJson = await call(h, 'sim.load', { name: 'secretish' });
    expect(notJson).toMatchObject({ ok: false, code: 'SIM_BAD_SCENARIO' });
    expect(!notJson.ok && notJson.message).not.toContain('root:');
    expect(await call(h, 'sim.load', { name: 'huge' })).toMatchObject({ ok: false, code: 'SIM_BAD_SCENARIO', message: expect.stringMatching(/at most/) });
    const listed = await call(h, 'sim.scenarios', {});
    expect(listed.ok && (listed.value as { name: string }[]).map((s) => s.name)).toContain('mine');
  });
});

describe('samples.ingest', () => {
  it('accepts only BLE device ids from a UI and counts the others', async () => {
    const { h } = host(false);
    const got: string[] = [];
    h.hub.start();
    h.hub.subscribe((batch) => got.push(...batch.map((s) => s.deviceId)));
    const ant = await call(h, 'samples.ingest', { samples: [{ tMs: 1, deviceId: 'ant:120:1', metric: 'heartRate', value: 60 }] });
    expect(ant).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
    const mixed = await call(h, 'samples.ingest', {
      samples: [
        { tMs: 2, deviceId: 'ble:a', metric: 'heartRate', value: 61 },
        { tMs: 3, deviceId: 'sim:b', metric: 'heartRate', value: 62 },
      ],
    });
    expect(mixed).toEqual({ ok: true, value: { accepted: 1, rejected: 1 } });
    h.hub.stop();
    expect(got).toEqual(['ble:a']);
  });
});
