/** The presentational broker panel: settings form, uplink rows, unforwarded metrics (static-markup testable). */
import { useState } from 'react';
import { API_KEY_WARNING, type BrokerState, type TokenSourceConfig } from '../../../shared/contract/broker';
import { METRICS } from '../../../shared/metrics';
import { checkBrokerForm, firstBrokerFormError, type BrokerFormErrors } from './brokerForm';
import './broker.css';

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

/** What the Lag column means (shown under the table and as the column's tooltip). */
export const LAG_HELP = 'Lag: time since the oldest unacknowledged reading was read from the sensor (0 when everything read so far has been acknowledged by the broker).';

/** A field's problem under it, tied to the input by `aria-describedby`. */
function FieldError({ id, text }: { id: string; text: string | undefined }): React.JSX.Element | null {
  if (!text) return null;
  return (
    <span className="field-error" id={id} role="alert" data-testid={id}>
      {text}
    </span>
  );
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
  const [errors, setErrors] = useState<BrokerFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const tokenSource = (): TokenSourceConfig => {
    if (tokenKind === 'tokenUrl') return { kind: 'tokenUrl', url: tokenUrl };
    if (tokenKind === 'developer') return { kind: 'developer', devId };
    if (tokenKind === 'rt') return { kind: 'rt' };
    return { kind: 'embedded' };
  };
  const save = (): void => {
    const found = checkBrokerForm({
      targetKind, url, tokenKind, tokenUrl, devId, hasApiKey: state.hasApiKey || apiKey !== '', hasRtToken: state.hasRtToken || rtToken !== '', defaultUserId: userId, maxEntries,
    });
    setErrors(found);
    setFormError(firstBrokerFormError(found));
    if (Object.keys(found).length > 0) return;
    void onSave({
      settings: {
        target: targetKind === 'url' ? { kind: 'url', url: url.trim() } : { kind: 'embedded' },
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
      <fieldset className="broker-choices">
        <legend>Target</legend>
        <label className="choice">
          <input type="radio" name="broker-target" value="embedded" checked={targetKind === 'embedded'} onChange={() => { setTargetKind('embedded'); setTokenKind('embedded'); }} />
          <span>Embedded broker on this computer</span>
        </label>
        <label className="choice">
          <input type="radio" name="broker-target" value="url" checked={targetKind === 'url'} onChange={() => { setTargetKind('url'); if (tokenKind === 'embedded') setTokenKind('tokenUrl'); }} />
          <span>Broker URL</span>
          <input type="text" value={url} disabled={targetKind !== 'url'} onChange={(e) => setUrl(e.target.value)} data-testid="broker-url" aria-label="Broker URL" aria-invalid={errors.url ? true : undefined} aria-describedby={errors.url ? 'broker-url-error' : undefined} />
        </label>
        <FieldError id="broker-url-error" text={errors.url} />
      </fieldset>
      <fieldset className="broker-choices" disabled={targetKind === 'embedded'}>
        <legend>Token source</legend>
        <FieldError id="broker-token-source-error" text={errors.tokenSource} />
        <label className="choice">
          <input type="radio" name="broker-token-source" value="tokenUrl" checked={tokenKind === 'tokenUrl'} onChange={() => setTokenKind('tokenUrl')} />
          <span>Token URL on your backend (recommended)</span>
          <input type="text" value={tokenUrl} placeholder="https://your.backend/terra-token?id={userId}" onChange={(e) => setTokenUrl(e.target.value)} aria-label="Token URL" aria-invalid={errors.tokenUrl ? true : undefined} aria-describedby={errors.tokenUrl ? 'broker-token-url-error' : undefined} />
        </label>
        <FieldError id="broker-token-url-error" text={errors.tokenUrl} />
        <label className="choice">
          <input type="radio" name="broker-token-source" value="developer" checked={tokenKind === 'developer'} onChange={() => setTokenKind('developer')} />
          <span>Terra developer credentials</span>
          <input type="text" value={devId} placeholder="dev-id" onChange={(e) => setDevId(e.target.value)} aria-label="dev-id" aria-invalid={errors.devId ? true : undefined} />
          <input type="password" value={apiKey} placeholder={state.hasApiKey ? '(stored — type to replace)' : 'API key'} onChange={(e) => setApiKey(e.target.value)} aria-label="API key" aria-invalid={errors.apiKey ? true : undefined} />
        </label>
        <FieldError id="broker-dev-id-error" text={errors.devId ?? errors.apiKey} />
        {tokenKind === 'developer' && <p className="notice warning" data-testid="api-key-warning">{API_KEY_WARNING}</p>}
        <label className="choice">
          <input type="radio" name="broker-token-source" value="rt" checked={tokenKind === 'rt'} onChange={() => setTokenKind('rt')} />
          <span>rt. token (from the dashboard QR code)</span>
          <input type="password" value={rtToken} placeholder={state.hasRtToken ? '(stored — paste to replace)' : 'rt.…'} onChange={(e) => setRtToken(e.target.value)} aria-label="rt. token" aria-invalid={errors.rtToken ? true : undefined} />
        </label>
        <FieldError id="broker-rt-error" text={errors.rtToken} />
        <p className="hint">Secrets are kept in {state.secretStore === 'safeStorage' ? 'the OS keychain' : 'a file only you can read'}, never in the settings file.</p>
      </fieldset>
      <label className="field">
        Terra user id (when no athlete has one) <input type="text" value={userId} onChange={(e) => setUserId(e.target.value)} aria-label="Terra user id" aria-invalid={errors.defaultUserId ? true : undefined} />
      </label>
      <FieldError id="broker-user-error" text={errors.defaultUserId} />
      <label className="field">
        Outbox limit (readings per athlete; at the limit the oldest undelivered readings are dropped and counted)
        <input type="number" min={100} value={maxEntries} onChange={(e) => setMaxEntries(e.target.value)} aria-label="Outbox limit" aria-invalid={errors.maxEntries ? true : undefined} />
      </label>
      <FieldError id="broker-outbox-error" text={errors.maxEntries} />
      <div className="actions">
        <button onClick={save} data-testid="broker-save">Save</button>
        <button onClick={() => void onTest()} data-testid="broker-test">Test connection</button>
      </div>
      {formError && <p className="notice notice-error" data-testid="broker-message">{formError}</p>}
      {!formError && message && <p className={message.isError ? 'notice notice-error' : 'notice info'} data-testid="broker-message">{message.text}</p>}
      {test && <p className={test.isOk ? 'notice info' : 'notice error'} data-testid="broker-test-result">{test.message}</p>}
      <table className="uplinks" data-testid="broker-uplinks">
        <thead>
          <tr>
            <th scope="col">Athlete / user</th><th scope="col">State</th><th scope="col">Last close</th><th scope="col" className="num">Queued</th>
            <th scope="col" className="num">In flight</th><th scope="col" className="num">Delivered</th><th scope="col" className="num" title={LAG_HELP}>Lag</th><th scope="col" className="num">Dropped</th>
          </tr>
        </thead>
        <tbody>
          {state.uplinks.map((u) => (
            <tr key={u.key} data-testid={`uplink-${u.key}`}>
              <td>{u.participantName ? `${u.participantName} (${u.userId})` : u.userId}</td>
              <td>{u.state}{u.error && <div className="error">{u.error.message}</div>}</td>
              <td>{u.lastClose ? `${u.lastClose.code} ${u.lastClose.reason}` : '—'}</td>
              <td className="num">{u.outbox.queued}{u.outbox.isNearLimit && <span className="badge warning"> near limit ({u.outbox.maxEntries})</span>}</td>
              <td className="num">{u.outbox.inFlight}</td>
              <td className="num">{u.outbox.delivered}</td>
              <td className="num">{fmtLag(u.outbox.lagMs)}</td>
              <td className={u.outbox.dropped > 0 ? 'num error' : 'num'}>{u.outbox.dropped}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="broker-lag-help">{LAG_HELP}</p>
      {state.unroutedReadings > 0 && <p className="notice warning">{state.unroutedReadings} readings came from sensors not assigned to an athlete with a Terra user id and were not sent.</p>}
      <p data-testid="broker-unforwarded">
        Never sent to the broker (no Terra data type): {state.unforwardedMetrics.map((m) => METRICS[m.metric].displayName).join(', ')}
        {seen.length > 0 && <> — seen this session: {seen.map((m) => METRICS[m.metric].displayName).join(', ')}</>}
      </p>
    </section>
  );
}
