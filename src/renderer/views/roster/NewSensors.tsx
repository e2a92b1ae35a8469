/** Sensors in range that belong to nobody: assign to an athlete, or ignore (they are not announced again). */
import { useState } from 'react';
import type { Participant } from '../../../shared/roster/participant';
import { client } from '../../app';
import { useAppStore } from '../../stores/appStore';
import { LiveNumber } from '../LiveNumber';
import { useRosterStore } from './rosterStore';

const NONE: readonly string[] = [];

/** The unassigned sensors panel. */
export function NewSensors({ participants }: { participants: readonly Participant[] }): React.JSX.Element | null {
  const unassigned = useRosterStore((s) => s.roster?.unassignedDeviceIds ?? NONE);
  const ignored = useRosterStore((s) => s.roster?.ignoredDeviceIds ?? NONE);
  const devices = useAppStore((s) => s.devices);
  const [target, setTarget] = useState<Record<string, string>>({});
  const name = (id: string): string => devices.find((d) => d.id === id)?.name ?? id;
  if (unassigned.length === 0 && ignored.length === 0) return null;
  return (
    <div className="roster-sensors" data-testid="unassigned-sensors">
      <h3>Sensors in range without an athlete ({unassigned.length})</h3>
      <div className="sensor-chips">
        {unassigned.map((id) => (
          <div key={id} className="sensor-card" data-testid={`unassigned-${id}`}>
            <div>
              <strong>{name(id)}</strong> <span className="muted mono">{id}</span>
            </div>
            <div className="sensor-hr">
              <LiveNumber deviceId={id} metric="heartRate" /> <span className="muted">bpm</span>
            </div>
            <div className="sensor-actions">
              <select
                aria-label={`Assign ${name(id)} to`}
                value={target[id] ?? ''}
                onChange={(e) => setTarget({ ...target, [id]: e.target.value })}
              >
                <option value="">Athlete…</option>
                {participants.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <button
                disabled={!target[id]}
                onClick={() => void client.call('roster.assign', { deviceId: id, participantId: target[id]! })}
              >
                Assign
              </button>
              <button className="link" onClick={() => void client.call('roster.ignore', { deviceId: id })}>
                Ignore
              </button>
            </div>
          </div>
        ))}
      </div>
      {ignored.length > 0 && (
        <p className="muted">
          Ignored:{' '}
          {ignored.map((id) => (
            <button key={id} className="link" title="Announce again" onClick={() => void client.call('roster.unignore', { deviceId: id })}>
              {name(id)} ↺
            </button>
          ))}
        </p>
      )}
    </div>
  );
}
