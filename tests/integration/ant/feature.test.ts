import { describe, expect, it } from 'vitest';
import { antHandlers, createAntFeature } from '../../../src/main/ant/antFeature';
import type { AntServiceStatus } from '../../../src/main/ant/antService';
import { antDeviceNumberOf } from '../../../src/main/ant/sim/scenarioDevices';
import { DeviceRegistry } from '../../../src/main/devices';
import { parseScenario } from '../../../src/shared/scenario';
import { antStatusSchema } from '../../../src/shared/contract/ant';
import { collector } from './harness';
import { waitFor } from '../../support/wait';

describe('ANT+ feature with a scenario (--simulate)', () => {
  it('renders the scenario ANT+ devices through a simulated stick into samples and the registry; status matches the contract', async () => {
    const parsed = parseScenario({
      name: 'ant-demo',
      devices: [
        { id: 'strap', name: 'Strap', kind: 'hr', transport: 'ant', antDeviceNumber: 321, metrics: { heartRate: { type: 'steady', value: 88 } } },
        { id: 'pm', name: 'PM', kind: 'power', transport: 'ant', metrics: { power: { type: 'steady', value: 222 }, cadence: { type: 'steady', value: 91 } } },
        { id: 'ble-only', name: 'BLE', kind: 'hr', transport: 'ble', metrics: { heartRate: { type: 'steady', value: 50 } } },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const sink = collector();
    const registry = new DeviceRegistry();
    const statuses: AntServiceStatus[] = [];
    const feature = await createAntFeature({ sink, registry, onStatus: (s) => statuses.push(s), scenario: parsed.value });
    await feature.start();
    const pm = antDeviceNumberOf({ id: 'pm' });
    // the simulated stick runs on real time here (the feature as --simulate starts it): wait for both devices' readings
    await waitFor(() => sink.of('ant:120:321', 'heartRate').length > 0 && sink.of(`ant:11:${pm}`, 'power').length > 0 && registry.list().length === 2, 'readings of both ANT+ devices');
    await feature.stop();
    expect(sink.of('ant:120:321', 'heartRate').at(-1)?.value).toBe(88);
    expect(sink.of(`ant:11:${pm}`, 'power').at(-1)?.value).toBe(222);
    expect(registry.list().map((d) => `${d.id} ${d.source} ${d.isSimulated}`).sort()).toEqual([`ant:11:${pm} ant true`, 'ant:120:321 ant true']);
    const status = await antHandlers(feature)['ant.status']({});
    expect(antStatusSchema.parse(status).sticks[0]).toMatchObject({ isSimulated: true, mode: 'scan', deviceCount: 2 });
    expect(statuses.length).toBeGreaterThan(0);
  });
});

describe('built-in ANT+ scenarios', () => {
  it('parse and contain only ANT+ devices with distinct device numbers', async () => {
    const { ANT_SCENARIOS } = await import('../../../src/shared/ant/antScenarios');
    for (const input of Object.values(ANT_SCENARIOS)) {
      const s = parseScenario(input);
      expect(s.ok).toBe(true);
      if (!s.ok) continue;
      expect(s.value.devices.every((d) => d.transport === 'ant')).toBe(true);
      const numbers = s.value.devices.map((d) => d.antDeviceNumber);
      expect(new Set(numbers).size).toBe(numbers.length);
    }
  });
});
