/** The presentational broker panel: settings form, uplink rows, unforwarded metrics (static-markup testable). */
import { useState } from 'react';
import { API_KEY_WARNING, type BrokerState, type TokenSourceConfig } from '../../../shared/contract/broker';
import { METRICS } from '../../../shared/metrics';

/** Result of the last "test connection". */
export type TestResult = { isOk: boolean; message: string } | null;

/** Props of {@link BrokerPanelView}. */
export interface BrokerPanelViewProps {
  readonly state: BrokerState;
  readonly message: { isError: boolean; text: string } | null;
  readonly test: TestResult;
  readonly onSave: (args: { settings: Record<string, unknown>; apiKey?: string; rtToken?: string }) => void | Promise<void>;
  readonly onTest: () => void | Promise<void>;
}

function fmtLag(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The presentational panel (static-markup testable). */
export function BrokerPanelView({ state, message, test, onSave, onTest }: BrokerPanelViewProps): React.JSX.Element {
  const s = state.settings;
  const [targetKind, setTargetKind] = useState<'embedded' | 'url'>(s.target.kind);
  const [url, setUrl] = useState(s.target.kind === 'url' ? s.target.url : 'wss://ws.tryterra.co/connect');
  const [tokenKind, setTokenKind] = useState<TokenSourceConfig['kind']>(s.tokenSource.kind);
  const [tokenUrl, setTokenUrl] = useState(s.tokenSource.kind === 'tokenUrl' ? s.tokenSource.url : '');
  const [devId, setDevId] = useState(s.tokenSource.kind === 'developer' ? s.tokenSource.devId : '');
  const [apiKey, setApiKey] = useState('');
  const [rtToken, setRtToken] = useState('');
  const [userId, setUserId] = useState(s.defaultUserId);
  const [maxEntries, setMaxEntries] = useState(String(s.outbox.maxEntries));
  const tokenSource = (): TokenSourceConfig => {
    if (tokenKind === 'tokenUrl') return { kind: 'tokenUrl', url: tokenUrl };
    if (tokenKind === 'developer') return { kind: 'developer', devId };
    if (tokenKind === 'rt') return { kind: 'rt' };
    return { kind: 'embedded' };
  };
  const save = (): void => {
    void onSave({
      settings: {
        target: targetKind === 'url' ? { kind: 'url', url } : { kind: 'embedded' },
        tokenSource: tokenSource(),
        defaultUserId: userId,
        outbox: { maxEntries: Number(maxEntries) },
      },
      ...(apiKey ? { apiKey } : {}),
      ...(rtToken ? { rtToken } : {}),
    });
  };
  const seen = state.unforwardedMetrics.filter((m) => m.isSeen);
  return (
    <section className="panel broker" data-testid="broker-panel">
      <h2>Broker</h2>
      {state.notices.map((n) => (
        <p key={n} className="notice warning" role="alert">{n}</p>
      ))}
      <p data-testid="broker-target">
        Sending to <code>{state.targetUrl ?? '(no broker)'}</code>
        {state.embedded && <> — the embedded broker; consumers connect to <code>{state.embedded.url}</code> with the credentials in <code>{state.embedded.credentialsPath}</code></>}
      </p>
      <fieldset>
        <legend>Target</legend>
        <label className="field">
          <input type="radio" checked={targetKind === 'embedded'} onChange={() => { setTargetKind('embedded'); setTokenKind('embedded'); }} /> Embedded broker on this computer
        </label>
        <label className="field">
          <input type="radio" checked={targetKind === 'url'} onChange={() => { setTargetKind('url'); if (tokenKind === 'embedded') setTokenKind('tokenUrl'); }} /> Broker URL
          <input type="text" value={url} disabled={targetKind !== 'url'} onChange={(e) => setUrl(e.target.value)} data-testid="broker-url" aria-label="Broker URL" />
        </label>
      </fieldset>
      <fieldset disabled={targetKind === 'embedded'}>
        <legend>Token source</legend>
        <label className="field">
          <input type="radio" checked={tokenKind === 'tokenUrl'} onChange={() => setTokenKind('tokenUrl')} /> Token URL on your backend (recommended)
          <input type="text" value={tokenUrl} placeholder="https://your.backend/terra-token?id={userId}" onChange={(e) => setTokenUrl(e.target.value)} aria-label="Token URL" />
        </label>
        <label className="field">
          <input type="radio" checked={tokenKind === 'developer'} onChange={() => setTokenKind('developer')} /> Terra developer credentials
          <input type="text" value={devId} placeholder="dev-id" onChange={(e) => setDevId(e.target.value)} aria-label="dev-id" />
          <input type="password" value={apiKey} placeholder={state.hasApiKey ? '(stored — type to replace)' : 'API key'} onChange={(e) => setApiKey(e.target.value)} aria-label="API key" />
        </label>
        {tokenKind === 'developer' && <p className="notice warning" data-testid="api-key-warning">{API_KEY_WARNING}</p>}
        <label className="field">
          <input type="radio" checked={tokenKind === 'rt'} onChange={() => setTokenKind('rt')} /> rt. token (from the dashboard QR code)
          <input type="password" value={rtToken} placeholder={state.hasRtToken ? '(stored — paste to replace)' : 'rt.…'} onChange={(e) => setRtToken(e.target.value)} aria-label="rt. token" />
        </label>
        <p className="hint">Secrets are kept in {state.secretStore === 'safeStorage' ? 'the OS keychain' : 'a file only you can read'}, never in the settings file.</p>
      </fieldset>
      <label className="field">
        Terra user id (when no athlete has one) <input type="text" value={userId} onChange={(e) => setUserId(e.target.value)} aria-label="Terra user id" />
      </label>
      <label className="field">
        Outbox limit (readings per athlete; at the limit the oldest undelivered readings are dropped and counted)
        <input type="number" min={100} value={maxEntries} onChange={(e) => setMaxEntries(e.target.value)} aria-label="Outbox limit" />
      </label>
      <div className="actions">
        <button onClick={save} data-testid="broker-save">Save</button>
        <button onClick={() => void onTest()} data-testid="broker-test">Test connection</button>
      </div>
      {message && <p className={message.isError ? 'notice error' : 'notice info'}>{message.text}</p>}
      {test && <p className={test.isOk ? 'notice info' : 'notice error'} data-testid="broker-test-result">{test.message}</p>}
      <table className="uplinks" data-testid="broker-uplinks">
        <thead>
          <tr><th>Athlete / user</th><th>State</th><th>Last close</th><th>Queued</th><th>In flight</th><th>Delivered</th><th title="Time since the oldest reading the broker has not yet confirmed was read from the sensor; it normally stays below the broker's heartbeat interval (10 s for the built-in broker).">Lag</th><th>Dropped</th></tr>
        </thead>
        <tbody>
          {state.uplinks.map((u) => (
            <tr key={u.key} data-testid={`uplink-${u.key}`}>
              <td>{u.participantName ? `${u.participantName} (${u.userId})` : u.userId}</td>
              <td>{u.state}{u.error && <div className="error">{u.error.message}</div>}</td>
              <td>{u.lastClose ? `${u.lastClose.code} ${u.lastClose.reason}` : '—'}</td>
              <td>{u.outbox.queued}{u.outbox.isNearLimit && <span className="badge warning"> near limit ({u.outbox.maxEntries})</span>}</td>
              <td>{u.outbox.inFlight}</td>
              <td>{u.outbox.delivered}</td>
              <td>{fmtLag(u.outbox.lagMs)}</td>
              <td className={u.outbox.dropped > 0 ? 'error' : ''}>{u.outbox.dropped}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {state.unroutedReadings > 0 && <p className="notice warning">{state.unroutedReadings} readings came from sensors not assigned to an athlete with a Terra user id and were not sent.</p>}
      <p data-testid="broker-unforwarded">
        Never sent to the broker (no Terra data type): {state.unforwardedMetrics.map((m) => METRICS[m.metric].displayName).join(', ')}
        {seen.length > 0 && <> — seen this session: {seen.map((m) => METRICS[m.metric].displayName).join(', ')}</>}
      </p>
    </section>
  );
}
