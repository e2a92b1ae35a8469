/**
 * The ANT+ stick panel: every stick with its state, mode, channels used, message rate and error, plus the
 * service-level problem (e.g. no stick) with what to do. Presentational: the status comes in as props
 * (`antStatus` event / `ant.status` command), mode changes go out through `onSetMode`.
 */
import type { AntStatusView, AntStickStatusView } from '../../../shared/contract/ant';

/** Props of {@link StickPanel}. */
export interface StickPanelProps {
  readonly status: AntStatusView | null;
  /** Restart every stick in this mode; absent = no mode buttons. */
  readonly onSetMode?: (mode: 'scan' | 'paired') => void;
}

const STATE_LABELS: { readonly [K in AntStickStatusView['state']]: string } = {
  starting: 'starting…',
  running: 'running',
  error: 'error',
  removed: 'unplugged',
};

function channelsText(s: AntStickStatusView): string {
  if (s.state === 'removed') return '—';
  if (s.mode === 'scan') return `scan channel (${s.deviceCount} device${s.deviceCount === 1 ? '' : 's'} in range)`;
  return `${s.channelsUsed} of ${s.maxChannels}`;
}

/** The stick panel. */
export function StickPanel({ status, onSetMode }: StickPanelProps): React.JSX.Element {
  const sticks = status?.sticks ?? [];
  return (
    <section className="panel ant-sticks" data-testid="ant-sticks" aria-label="ANT+ sticks">
      <h2>ANT+ sticks</h2>
      {status?.error && (
        <p className="notice notice-warning" role="alert" data-testid="ant-error" data-code={status.error.code}>
          {status.error.message}
        </p>
      )}
      {sticks.length === 0 && !status?.error && <p className="muted">No ANT+ stick yet.</p>}
      {sticks.length > 0 && (
        <table className="ant-stick-table">
          <thead>
            <tr>
              <th>Stick</th>
              <th>State</th>
              <th>Mode</th>
              <th>Channels</th>
              <th>Messages/s</th>
              <th>Bad frames</th>
            </tr>
          </thead>
          <tbody>
            {sticks.map((s) => (
              <tr key={s.key} data-testid={`ant-stick-${s.key}`} data-state={s.state}>
                <td>
                  {s.label} {s.isSimulated && <span className="badge">simulated</span>}
                </td>
                <td>{STATE_LABELS[s.state]}</td>
                <td>{s.mode === 'scan' ? 'continuous scan' : 'paired channels'}</td>
                <td>{channelsText(s)}</td>
                <td>{s.state === 'running' ? s.messageRateHz.toFixed(1) : '—'}</td>
                <td>{s.badFrames}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sticks
        .filter((s) => s.error)
        .map((s) => (
          <p key={`${s.key}-error`} className={`notice ${s.state === 'error' ? 'notice-error' : 'notice-warning'}`} role="alert" data-testid={`ant-stick-error-${s.key}`} data-code={s.error!.code}>
            <strong>{s.label}:</strong> {s.error!.message}
          </p>
        ))}
      {onSetMode && sticks.length > 0 && (
        <div className="sim-actions">
          <button onClick={() => onSetMode('scan')} data-testid="ant-mode-scan">
            Continuous scan (every sensor in range)
          </button>
          <button onClick={() => onSetMode('paired')} data-testid="ant-mode-paired">
            Paired channels
          </button>
        </div>
      )}
    </section>
  );
}
