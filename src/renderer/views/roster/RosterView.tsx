/**
 * The roster: athletes with their sensors in preference order, tap to claim, assignment from the
 * live list, CSV import and export, and the sensors in range that belong to nobody.
 */
import { useEffect, useRef, useState } from 'react';
import { PARTICIPANT_COLOURS, type Participant } from '../../../shared/roster/participant';
import { zoneBoundsBpm } from '../../../shared/roster/zones';
import { client } from '../../app';
import { useAppStore } from '../../stores/appStore';
import { LiveNumber } from '../LiveNumber';
import { NewSensors } from './NewSensors';
import { ParticipantEditor } from './ParticipantEditor';
import { downloadText, ensureRosterSync, useRosterStore } from './rosterStore';
import { userMessage } from '../../userMessage';
import './roster.css';

/** The roster view. */
export function RosterView(): React.JSX.Element {
  const roster = useRosterStore((s) => s.roster);
  const lastClaim = useRosterStore((s) => s.lastClaim);
  const [editing, setEditing] = useState<Participant | 'new' | null>(null);
  const [message, setMessage] = useState<{ level: 'error' | 'info'; text: string } | null>(null);
  const file = useRef<HTMLInputElement>(null);
  useEffect(() => ensureRosterSync(), []);
  const participants = roster?.participants ?? [];

  const report = (r: { ok: true } | { ok: false; code: string; message: string }, okText?: string, action = 'change the roster'): void => {
    if (!r.ok) setMessage({ level: 'error', text: r.code === 'ROSTER_BAD_CSV' ? r.message : userMessage(r, action) });
    else if (okText) setMessage({ level: 'info', text: okText });
  };
  const importFile = async (f: File): Promise<void> => {
    const r = await client.call('roster.importCsv', { csv: await f.text(), mode: 'merge' });
    report(r, r.ok ? `Imported ${r.value.imported} athletes from ${f.name}.` : undefined, `import ${f.name}`);
  };
  const exportCsv = async (): Promise<void> => {
    const r = await client.call('roster.exportCsv', {});
    if (r.ok) downloadText('roster.csv', r.value.csv);
    else report(r, undefined, 'export the roster');
  };

  return (
    <section className="panel roster" data-testid="roster-view">
      <div className="toolbar">
        <h2>Roster</h2>
        <span className="muted">{participants.length} athletes</span>
        <span className="spacer" />
        <button className="primary" onClick={() => setEditing('new')}>
          Add athlete
        </button>
        <button onClick={() => file.current?.click()}>Import CSV…</button>
        <input
          ref={file}
          type="file"
          accept=".csv,text/csv"
          hidden
          data-testid="roster-import"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFile(f);
            e.target.value = '';
          }}
        />
        <button onClick={() => void exportCsv()}>Export CSV</button>
      </div>
      {message && (
        <div className={`notice notice-${message.level}`} data-testid="roster-message" role={message.level === 'error' ? 'alert' : 'status'}>
          <RosterMessageText text={message.text} />
          <button className="link" onClick={() => setMessage(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {lastClaim && lastClaim.outcome !== 'cancelled' && !roster?.claim && (
        <p className="muted" data-testid="claim-outcome">
          Last claim: {lastClaim.outcome === 'assigned' ? `assigned ${lastClaim.deviceId}` : 'timed out (no heart rate rose)'}
        </p>
      )}
      {editing && (
        <ParticipantEditor
          participant={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
          newColour={PARTICIPANT_COLOURS[participants.length % PARTICIPANT_COLOURS.length]}
        />
      )}
      <NewSensors participants={participants} />
      {participants.length === 0 ? (
        <p className="empty">
          No athletes yet. Add one, or import a CSV with a header row: id, name, terra_user_id, token_ref, max_hr_bpm,
          zones_bpm, colour, age_years, weight_kg, sex, devices.
        </p>
      ) : (
        <table className="roster-table" data-testid="roster-table">
          <thead>
            <tr>
              <th>Athlete</th>
              <th>Terra user</th>
              <th>Max HR / zones</th>
              <th>Sensors (preferred first)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {participants.map((p) => (
              <ParticipantRow key={p.id} p={p} isClaiming={roster?.claim?.participantId === p.id} onEdit={() => setEditing(p)} onResult={report} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A message; a CSV import refusal lists each bad line on its own line ("… | line 4: …" from the host). */
function RosterMessageText({ text }: { text: string }): React.JSX.Element {
  const [head, ...lines] = text.split(/: (?=line \d+:)| \| /);
  if (lines.length === 0) return <span>{text}</span>;
  return (
    <div>
      {head}:
      <ul className="csv-errors">
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </div>
  );
}

interface RowProps {
  readonly p: Participant;
  readonly isClaiming: boolean;
  readonly onEdit: () => void;
  readonly onResult: (r: { ok: true } | { ok: false; code: string; message: string }) => void;
}

function ParticipantRow({ p, isClaiming, onEdit, onResult }: RowProps): React.JSX.Element {
  const devices = useAppStore((s) => s.devices);
  const name = (id: string): string => devices.find((d) => d.id === id)?.name ?? id;
  const bounds = zoneBoundsBpm(p);
  const move = (id: string, to: number): void => {
    void client.call('roster.assign', { deviceId: id, participantId: p.id, position: to }).then(onResult);
  };
  return (
    <tr data-testid={`roster-row-${p.id}`}>
      <td>
        <span className="swatch" style={{ background: p.colour }} /> <strong>{p.name}</strong>
        <div className="muted mono">{p.id}</div>
      </td>
      <td className="mono">{p.terraUserId ?? <span className="muted">not forwarded</span>}</td>
      <td>
        {p.maxHrBpm ?? '—'}
        {bounds && <div className="muted">Z1–Z5 from {bounds.join(' / ')}</div>}
      </td>
      <td>
        <ol className="sensor-list">
          {p.deviceIds.map((id, i) => (
            <li key={id} data-testid={`sensor-${p.id}-${id}`}>
              <span>{name(id)}</span>{' '}
              <span className="muted">
                <LiveNumber deviceId={id} metric="heartRate" /> bpm
              </span>
              <span className="sensor-buttons">
                <button className="link" disabled={i === 0} onClick={() => move(id, i - 1)} aria-label="Prefer">
                  ▲
                </button>
                <button className="link" disabled={i === p.deviceIds.length - 1} onClick={() => move(id, i + 1)} aria-label="Prefer less">
                  ▼
                </button>
                <button className="link" onClick={() => void client.call('roster.unassign', { deviceId: id }).then(onResult)} aria-label="Unassign">
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ol>
      </td>
      <td>
        <div className="row-actions">
          {isClaiming ? (
            <>
              <span className="badge badge-warn" data-testid={`claiming-${p.id}`}>
                waiting for a heart rate to rise…
              </span>
              <button onClick={() => void client.call('roster.claimCancel', {})}>Cancel</button>
            </>
          ) : (
            <button
              onClick={() => void client.call('roster.claimStart', { participantId: p.id }).then(onResult)}
              title="Press, then have the athlete move: the first strap whose HR rises by 10 bpm is theirs"
              data-testid={`claim-${p.id}`}
            >
              Tap to claim
            </button>
          )}
          <button onClick={onEdit}>Edit</button>
          <button
            className="danger"
            onClick={() => {
              if (window.confirm(`Remove ${p.name} from the roster?`)) {
                void client.call('roster.removeParticipant', { participantId: p.id }).then(onResult);
              }
            }}
          >
            Remove
          </button>
        </div>
      </td>
    </tr>
  );
}
