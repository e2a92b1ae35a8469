/** Handlers of the core contract section: host info, devices, UI-produced samples, clock, simulation. */
import { METRICS } from '../shared/metrics';
import { nowMs } from '../shared/sample';
import { CommandError, type HandlerSet } from './contract/server';
import type { Host } from './host';
import { listScenarios, loadScenarioByName } from './sim/scenarioFiles';
import type { coreCommands } from '../shared/contract/core';

type CoreName = keyof typeof coreCommands;

/** Device-id namespace of samples a UI process may produce (Web Bluetooth lives in the renderer). */
const UI_DEVICE_PREFIX = 'ble:';

/** Whether the `sim.*` commands exist on this host: only when started with `--simulate` or `--test-control`. */
function isSimulationEnabled(host: Host): boolean {
  return (host.options.isTestControlEnabled ?? false) || host.options.scenario !== undefined;
}

/** The core handlers, bound to a host. */
export function coreHandlers(host: Host): HandlerSet<CoreName> {
  const { devices, hub, sim } = host;
  const requireSimulation = (): void => {
    if (!isSimulationEnabled(host)) {
      throw new CommandError('SIM_DISABLED', 'Simulated devices are off: start the app with --simulate <scenario> or --test-control to use them.');
    }
  };
  const requireSim = (deviceId: string): void => {
    requireSimulation();
    if (!sim.has(deviceId)) throw new CommandError('SIM_UNKNOWN_DEVICE', `No simulated device "${deviceId}".`);
  };
  let rejectedSamples = 0;
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
      // a UI produces only BLE readings; ANT+ and simulated ids belong to the host's own sources
      let accepted = 0;
      let foreign: string | null = null;
      for (const s of samples) {
        if (s.deviceId.startsWith(UI_DEVICE_PREFIX)) {
          hub.push(s);
          accepted += 1;
        } else {
          foreign ??= s.deviceId;
        }
      }
      if (foreign !== null) {
        rejectedSamples += samples.length - accepted;
        if (accepted === 0) {
          throw new CommandError('CONTRACT_BAD_ARGS', `UI processes may only send readings of BLE devices ("${UI_DEVICE_PREFIX}…"), not "${foreign.slice(0, 80)}"; ${rejectedSamples} refused so far.`);
        }
      }
      return foreign === null ? { accepted } : { accepted, rejected: samples.length - accepted };
    },
    'devices.report': ({ device, reason }, ctx) => {
      if (!device.id.startsWith('ble:')) {
        throw new CommandError('CONTRACT_BAD_ARGS', `UI processes may only report BLE devices, not "${device.id}".`);
      }
      // the reporting page holds the Bluetooth link; when it goes, so does the device (bleOwners.ts)
      if (device.status === 'disconnected') host.bleOwners.forget(device.id);
      else host.bleOwners.claim(device.id, ctx.clientId);
      host.recording.noteSender(device.id, ctx.clientId);
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
    'samples.recent': ({ windowMs }) => {
      const series = host.recentSamples.recent(nowMs(), windowMs, (id) => devices.get(id) !== undefined);
      const staleByDevice = new Map(series.map((s) => [s.deviceId, new Set(hub.staleMetrics(s.deviceId))]));
      return { series: series.map((s) => ({ ...s, isStale: staleByDevice.get(s.deviceId)!.has(s.metric) })) };
    },
    'devices.forget': ({ deviceId }) => {
      host.bleOwners.forget(deviceId);
      host.recentSamples.forget(deviceId);
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
    'sim.scenarios': () => {
      requireSimulation();
      return listScenarios(host.options.dataDir);
    },
    'sim.load': ({ name, scenario }) => {
      requireSimulation();
      if (scenario) {
        sim.load(scenario);
        return null;
      }
      const loaded = loadScenarioByName(name ?? '', host.options.dataDir, host.options.scenario ?? null);
      if (!loaded.ok) throw new CommandError(loaded.code, loaded.message);
      sim.load(loaded.value);
      return null;
    },
    'sim.list': () => {
      requireSimulation();
      return sim.list();
    },
    'sim.addDevice': ({ kind, name, values }) => {
      requireSimulation();
      return { deviceId: sim.addSimple(kind, name, values) };
    },
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
      requireSimulation();
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

