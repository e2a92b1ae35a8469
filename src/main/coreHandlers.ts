/** Handlers of the core contract section: host info, devices, UI-produced samples, clock, simulation. */
import { METRICS } from '../shared/metrics';
import { nowMs } from '../shared/sample';
import { CommandError, type HandlerSet } from './contract/server';
import type { Host } from './host';
import { listScenarios, loadScenario } from './sim/scenarioFiles';
import type { coreCommands } from '../shared/contract/core';

type CoreName = keyof typeof coreCommands;

/** The core handlers, bound to a host. */
export function coreHandlers(host: Host): HandlerSet<CoreName> {
  const { devices, hub, sim } = host;
  const requireSim = (deviceId: string): void => {
    if (!sim.has(deviceId)) throw new CommandError('SIM_UNKNOWN_DEVICE', `No simulated device "${deviceId}".`);
  };
  return {
    'host.info': () => ({
      version: host.options.version ?? '0.0.0',
      mode: host.options.mode,
      scenario: sim.scenario,
      isTestControlEnabled: host.options.isTestControlEnabled ?? false,
      startedAtMs: host.startedAtMs,
      dataDir: host.options.dataDir,
    }),
    'devices.list': () => devices.list(),
    'samples.ingest': ({ samples }) => {
      for (const s of samples) hub.push(s);
      return { accepted: samples.length };
    },
    'devices.report': ({ device, reason }) => {
      if (!device.id.startsWith('ble:')) {
        throw new CommandError('CONTRACT_BAD_ARGS', `UI processes may only report BLE devices, not "${device.id}".`);
      }
      devices.upsert({ ...device });
      devices.setStatus(device.id, device.status, reason ?? 'reported by UI');
      return null;
    },
    'raw.ingest': ({ messages }) => {
      for (const m of messages) {
        host.recording.recordRaw({
          tMs: m.tMs,
          deviceId: m.deviceId,
          transport: 'ble',
          characteristic: m.characteristic,
          bytes: Buffer.from(m.bytesHex, 'hex'),
        });
      }
      return { accepted: messages.length };
    },
    'devices.forget': ({ deviceId }) => {
      if (sim.has(deviceId)) sim.remove(deviceId);
      else devices.remove(deviceId);
      hub.forget(deviceId);
      return null;
    },
    'clock.ping': () => ({ hostMs: nowMs() }),
    'clock.pong': ({ pingId, clientMs }, ctx) => {
      host.clock.pong(ctx.clientId, pingId, clientMs);
      return null;
    },
    'sim.scenarios': () => listScenarios(),
    'sim.load': ({ name, scenario }) => {
      if (scenario) {
        sim.load(scenario);
        return null;
      }
      const loaded = loadScenario(name ?? '');
      if (!loaded.ok) throw new CommandError(loaded.code, loaded.message);
      sim.load(loaded.value);
      return null;
    },
    'sim.list': () => sim.list(),
    'sim.addDevice': ({ kind, name, values }) => ({ deviceId: sim.addSimple(kind, name, values) }),
    'sim.removeDevice': ({ deviceId }) => {
      requireSim(deviceId);
      sim.remove(deviceId);
      hub.forget(deviceId);
      return null;
    },
    'sim.setValue': ({ deviceId, metric, value }) => {
      requireSim(deviceId);
      sim.setValue(deviceId, metric, value);
      return null;
    },
    'sim.dropout': ({ deviceId, durationMs }) => {
      requireSim(deviceId);
      sim.dropout(deviceId, durationMs);
      return null;
    },
    'sim.setStaleTimeout': ({ metric, staleAfterMs }) => {
      if (METRICS[metric].staleAfterMs === null) {
        throw new CommandError('CONTRACT_BAD_ARGS', `${METRICS[metric].displayName} readings are events: they never go stale on their own.`);
      }
      hub.setStaleAfterMs(metric, staleAfterMs);
      return null;
    },
    'sim.reconnect': ({ deviceId }) => {
      requireSim(deviceId);
      sim.reconnect(deviceId);
      return null;
    },
  };
}

