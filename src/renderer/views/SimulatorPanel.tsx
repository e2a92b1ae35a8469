/** The Simulator panel: load a scenario, add and remove simulated devices, change values live, drop out. */
import { useCallback, useEffect, useState } from 'react';
import type { CommandResult } from '../../shared/contract';
import { DEVICE_KINDS, DEVICE_KIND_LABELS, type DeviceKind } from '../../shared/device';
import { METRICS, type MetricId } from '../../shared/metrics';
import { client } from '../app';
import { useAppStore } from '../stores/appStore';
import { withoutCode } from '../userMessage';

type SimList = CommandResult<'sim.list'>;
type ScenarioList = CommandResult<'sim.scenarios'>;

/** Simulator panel. */
export function SimulatorPanel(): React.JSX.Element {
  const devices = useAppStore((s) => s.devices);
  const [sims, setSims] = useState<SimList>([]);
  const [scenarios, setScenarios] = useState<ScenarioList>([]);
  const [kind, setKind] = useState<DeviceKind>('hr');
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const r = await client.call('sim.list', {});
    if (r.ok) setSims(r.value);
  }, []);
  useEffect(() => {
    void refresh();
    void client.call('sim.scenarios', {}).then((r) => r.ok && setScenarios(r.value));
  }, [refresh, devices]);

  const act = async (p: Promise<unknown>): Promise<void> => {
    try {
      await p;
      setError(null);
    } catch (err) {
      setError(withoutCode((err as Error).message));
    }
    await refresh();
  };

  return (
    <section className="panel" data-testid="simulator-panel">
      <div className="toolbar">
        <h2>Simulator</h2>
      </div>
      <p className="muted">
        Simulated devices stream through the same hub, recorder and broker uplink as real sensors. Values change
        immediately; a dropout silences the device so it goes stale, exactly like a sensor out of range.
      </p>
      {error && <div className="notice notice-error">{error}</div>}
      <div className="sim-actions">
        <label>
          Add device{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)} aria-label="Device kind">
            {DEVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {DEVICE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" onClick={() => void act(client.invoke('sim.addDevice', { kind }))}>
          Add
        </button>
        <span className="spacer" />
        <label>
          Scenario{' '}
          <select
            aria-label="Scenario"
            defaultValue=""
            onChange={(e) => e.target.value && void act(client.invoke('sim.load', { name: e.target.value }))}
          >
            <option value="">Load…</option>
            {scenarios.map((s) => (
              <option key={s.name} value={s.name} title={s.description}>
                {s.name} ({s.deviceCount} devices)
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="sim-list">
        {sims.length === 0 && <p className="empty">No simulated devices.</p>}
        {sims.map((d) => (
          <div className="sim-device" key={d.deviceId} data-testid={`sim-${d.deviceId}`}>
            <div className="sim-head">
              <strong>{d.name}</strong> <span className="muted">{DEVICE_KIND_LABELS[d.kind]}</span>
              {d.isDroppedOut && <span className="badge badge-warn">dropped out</span>}
              <span className="spacer" />
              {d.isDroppedOut ? (
                <button onClick={() => void act(client.invoke('sim.reconnect', { deviceId: d.deviceId }))}>Reconnect</button>
              ) : (
                <button onClick={() => void act(client.invoke('sim.dropout', { deviceId: d.deviceId }))}>Drop out</button>
              )}
              <button className="danger" onClick={() => void act(client.invoke('sim.removeDevice', { deviceId: d.deviceId }))}>
                Remove
              </button>
            </div>
            <div className="sim-values">
              {(Object.entries(d.values) as [MetricId, number][]).map(([metric, value]) => (
                <label key={metric} className="sim-value">
                  <span>{METRICS[metric].displayName}</span>
                  <input
                    type="number"
                    defaultValue={value}
                    step={METRICS[metric].decimals > 0 ? 0.1 : 1}
                    aria-label={`${d.name} ${METRICS[metric].displayName}`}
                    onKeyDown={(e) => {
                      if (e.key !== 'Enter') return;
                      const v = Number((e.target as HTMLInputElement).value);
                      if (Number.isFinite(v)) void act(client.invoke('sim.setValue', { deviceId: d.deviceId, metric, value: v }));
                    }}
                  />
                  <span className="muted">{METRICS[metric].unit}</span>
                </label>
              ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
