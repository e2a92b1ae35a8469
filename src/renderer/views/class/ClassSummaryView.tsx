/**
 * The class summary: per athlete, time with HR, average and max HR, time in each zone and the
 * calorie estimate (formula stated; empty with the reason when body data is missing). Exported as
 * CSV; the Print button prints this page alone (print CSS hides the app around it).
 */
import { useEffect, useState } from 'react';
import { CALORIE_FORMULA, formatDurationS } from '../../../shared/roster/summary';
import { ZONES } from '../../../shared/roster/zones';
import { client } from '../../app';
import { downloadText, ensureRosterSync, useRosterStore } from '../roster/rosterStore';
import { userMessage } from '../../userMessage';
import './summary.css';

function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Class controls (start/end) and the last summary. */
export function ClassSummaryView(): React.JSX.Element {
  const summary = useRosterStore((s) => s.summary);
  const classState = useRosterStore((s) => s.roster?.classState ?? null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => ensureRosterSync(), []);

  const start = async (): Promise<void> => {
    const r = await client.call('roster.startClass', {});
    setError(r.ok ? null : userMessage(r, 'start the class'));
  };
  const end = async (): Promise<void> => {
    const r = await client.call('roster.endClass', {});
    if (r.ok) useRosterStore.getState().setSummary(r.value);
    setError(r.ok ? null : userMessage(r, 'end the class'));
  };
  const exportCsv = async (): Promise<void> => {
    const r = await client.call('roster.summaryCsv', {});
    if (r.ok) downloadText(r.value.fileName, r.value.csv);
    else setError(userMessage(r, 'export the class summary'));
  };

  return (
    <section className="panel class-summary" data-testid="class-summary">
      <div className="toolbar no-print">
        <h2>Class</h2>
        {classState ? (
          <>
            <span className="badge status-badge-live">class running since {dateTime(classState.startedAtMs)}</span>
            <button className="primary" onClick={() => void end()} data-testid="end-class">
              End class
            </button>
          </>
        ) : (
          <button className="primary" onClick={() => void start()} data-testid="start-class">
            Start class
          </button>
        )}
        <span className="spacer" />
        <button disabled={!summary} onClick={() => void exportCsv()} data-testid="summary-csv">
          Export CSV
        </button>
        <button disabled={!summary} onClick={() => window.print()}>
          Print
        </button>
      </div>
      {error && <div className="notice notice-error no-print">{error}</div>}
      {!summary ? (
        <p className="empty">No class has ended yet. Start a class, and its summary appears here when you end it.</p>
      ) : (
        <div className="summary-sheet">
          <h2 className="print-only">Class summary</h2>
          <p className="summary-when">
            {dateTime(summary.startedAtMs)} – {dateTime(summary.endedAtMs)} ({formatDurationS(Math.round((summary.endedAtMs - summary.startedAtMs) / 1000))})
          </p>
          <table className="summary-table" data-testid="summary-table">
            <thead>
              <tr>
                <th>Athlete</th>
                <th>Time with HR</th>
                <th>Avg HR</th>
                <th>Max HR</th>
                {ZONES.map((z, i) => (
                  <th key={z.name} className="zone-col" data-zone={i}>
                    {i === 0 ? 'Below Z1' : `Z${i}`}
                  </th>
                ))}
                <th>kcal</th>
                <th>Notes</th>
              </tr>
            </thead>
            <tbody>
              {summary.athletes.map((a) => (
                <tr key={a.participantId} data-testid={`summary-row-${a.participantId}`}>
                  <td className="strong">{a.name}</td>
                  <td>{formatDurationS(a.durationS)}</td>
                  <td>{a.avgHrBpm ?? '—'}</td>
                  <td>{a.maxHrBpm ?? '—'}</td>
                  {ZONES.map((z, i) => (
                    <td key={z.name}>{a.zoneS ? formatDurationS(a.zoneS[i]!) : '—'}</td>
                  ))}
                  <td>{a.kcal ?? '—'}</td>
                  <td className="muted">{a.notes.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="summary-formula">
            Calories: {CALORIE_FORMULA} Without age, weight and sex the estimate is left empty rather than guessed. Zones
            are 50/60/70/80/90 % of max HR unless the roster gives explicit zones.
          </p>
        </div>
      )}
    </section>
  );
}
