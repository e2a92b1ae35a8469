/**
 * Look at a session: the recorded data of one session (live, finished or recovered) as charts —
 * heart rate, an RR tachogram with missed beats marked, power, cadence and speed — with markers,
 * gaps where devices dropped out and device link events; drag to zoom, buttons to pan; and a
 * per-device summary. The host reads the recording and sends min/max per pixel for long ranges
 * and exact readings when zoomed in (`recording.view`).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { SessionView as SessionViewData } from '../../../shared/contract/sessionView';
import { formatDuration } from '../../../shared/recording/format';
import type { ApiResult } from './SessionsPanel';
import { userMessage } from '../../userMessage';
import { SessionChart, type TimeMark } from './SessionChart';
import { DEVICE_COLORS, defaultDevices, formatOffset, panRange, sessionCharts, zoomRange } from './sessionChartData';

/** What the view needs from the host. */
export interface SessionViewApi {
  view(args: CommandInput<'recording.view'>): Promise<ApiResult<SessionViewData>>;
}

/** Props of {@link SessionView}. */
export interface SessionViewProps {
  readonly api: SessionViewApi;
  readonly sessionId: string;
  readonly onClose: () => void;
  /** Names of known devices (the live device list), by id. */
  readonly deviceNames?: Readonly<Record<string, string>>;
}

const MARKER_COLOR = '#ffb547';
const LINK_COLORS: Record<string, string> = {
  connected: '#38d39f',
  reconnected: '#38d39f',
  connecting: '#4cc2ff',
  reconnecting: '#ffb547',
  stale: '#ffb547',
  lost: '#ff5d6c',
  disconnected: '#ff5d6c',
};
/** How often a live session is read again. */
const LIVE_REFRESH_MS = 2000;

type Range = { fromMs: number; toMs: number } | null;

/** The session view. */
export function SessionView({ api, sessionId, onClose, deviceNames = {} }: SessionViewProps): React.JSX.Element {
  const [data, setData] = useState<SessionViewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [range, setRange] = useState<Range>(null);
  const [shown, setShown] = useState<string[] | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const bodyRef = useRef<HTMLDivElement>(null);
  const request = useRef(0);

  const load = useCallback(async () => {
    const id = ++request.current;
    const width = bodyRef.current?.clientWidth ?? 1000;
    setIsLoading(true);
    const r = await api.view({
      sessionId,
      buckets: Math.max(100, Math.min(4000, Math.round(width - 60))),
      ...(range ? { fromMs: range.fromMs, toMs: range.toMs } : {}),
      // the first call asks for no series: it learns the devices, then the shown ones are fetched
      deviceIds: shown ?? [],
    });
    if (id !== request.current) return; // a newer request is on its way
    setIsLoading(false);
    if (!r.ok) {
      setError(userMessage(r, 'open the session'));
      return;
    }
    setError(null);
    if (!shown) {
      setShown(defaultDevices(r.value)); // the effect fetches again with the series of those devices
      if (r.value.devices.length > 0) return;
    }
    setData(r.value);
  }, [api, sessionId, range, shown]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!data?.isLive || range) return;
    const timer = setInterval(() => void load(), LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [data?.isLive, range, load]);

  const colorOf = useMemo(() => {
    const order = new Map((data?.devices ?? []).map((d, i) => [d.deviceId, DEVICE_COLORS[i % DEVICE_COLORS.length]!]));
    return (id: string): string => order.get(id) ?? DEVICE_COLORS[0];
  }, [data?.devices]);
  const charts = useMemo(() => (data ? sessionCharts(data, colorOf) : []), [data, colorOf]);
  const markers = useMemo<TimeMark[]>(
    () => (data ? data.markers.map((m) => ({ x: (data.startMs + m.tMs) / 1000, label: `${m.n}. ${m.label}`, color: MARKER_COLOR })) : []),
    [data],
  );
  const links = useMemo<TimeMark[]>(() => {
    if (!data) return [];
    const visible = new Set(shown ?? []);
    return data.links
      .filter((l) => visible.has(l.deviceId))
      .map((l) => ({ x: (data.startMs + l.tMs) / 1000, label: `${l.deviceId} ${l.event}`, color: LINK_COLORS[l.event] ?? '#8a93a6', deviceId: l.deviceId }));
  }, [data, shown]);

  if (!data) {
    return (
      <section className="session-view" data-testid="session-view" ref={bodyRef}>
        <button className="link" onClick={onClose}>
          ← Sessions
        </button>
        {error ? <div className="notice notice-error">{error}</div> : <p className="muted">Reading the session…</p>}
      </section>
    );
  }
  const duration = data.durationMs;
  const from = data.fromMs;
  const to = data.toMs;
  const isZoomed = range !== null;
  const isExact = data.series.every((s) => !s.isDecimated);
  const names = (id: string): string => deviceNames[id] ?? id;
  const setZoom = ([a, b]: [number, number]): void => setRange(a <= 0 && b >= duration ? null : { fromMs: a, toMs: b });
  const toggle = (id: string): void => setShown((s) => (s?.includes(id) ? s.filter((x) => x !== id) : [...(s ?? []), id]));
  return (
    <section className="session-view" data-testid="session-view" ref={bodyRef} aria-busy={isLoading}>
      <div className="session-view-head">
        <button className="link" onClick={onClose}>
          ← Sessions
        </button>
        <h3>
          sub-{data.subjectId} · ses-{data.sessionLabel}
        </h3>
        {data.isLive ? (
          <span className="badge rec-badge">● Recording</span>
        ) : data.recovered ? (
          <span className="badge warn">Recovered</span>
        ) : (
          <span className="badge">Complete</span>
        )}
        <span className="muted">
          {new Date(data.startMs).toLocaleString()} · {formatDuration(duration)}
        </span>
      </div>
      {error && <div className="notice notice-error">{error}</div>}
      {(data.badLines > 0 || data.rejectedRecords > 0) && (
        <div className="notice notice-warning">
          {data.badLines + data.rejectedRecords} damaged record(s) in the recording are left out of the charts.
        </div>
      )}
      <div className="session-toolbar" role="toolbar" aria-label="Time range">
        <button onClick={() => setZoom(panRange(from, to, -0.5, duration))} disabled={!isZoomed || from <= 0} aria-label="Pan left" title="Earlier">
          ◀
        </button>
        <button onClick={() => setZoom(zoomRange(from, to, 0.5, duration))} aria-label="Zoom in" title="Zoom in">
          +
        </button>
        <button onClick={() => setZoom(zoomRange(from, to, 2, duration))} disabled={!isZoomed} aria-label="Zoom out" title="Zoom out">
          −
        </button>
        <button onClick={() => setZoom(panRange(from, to, 0.5, duration))} disabled={!isZoomed || to >= duration} aria-label="Pan right" title="Later">
          ▶
        </button>
        <button className="link" onClick={() => setRange(null)} disabled={!isZoomed}>
          Whole session
        </button>
        <span className="muted" data-testid="session-range">
          {formatOffset(from, to - from < 60_000)} – {formatOffset(to, to - from < 60_000)} of {formatDuration(duration)}
        </span>
        <span className="muted" data-testid="session-resolution">
          {isExact ? 'every reading' : 'min/max per pixel; drag across a chart to zoom in'}
        </span>
      </div>
      <div className="session-charts">
        {charts.length === 0 && <p className="empty">No heart rate, RR, power, cadence or speed readings from the devices shown.</p>}
        {charts.map((c, i) => (
          <SessionChart
            key={`${c.metric}:${c.deviceIds.join('|')}`}
            chart={c}
            xMin={(data.startMs + from) / 1000}
            xMax={(data.startMs + to) / 1000}
            markers={markers}
            links={links}
            isLabelled={i === 0}
            deviceNames={deviceNames}
            onZoom={(a, b) => setZoom([Math.max(0, a * 1000 - data.startMs), Math.min(duration, b * 1000 - data.startMs)])}
          />
        ))}
      </div>
      <h4>Devices</h4>
      <table className="session-devices" data-testid="session-devices">
        <thead>
          <tr>
            <th>Show</th>
            <th>Device</th>
            <th>Participant</th>
            <th>Duration</th>
            <th>Samples</th>
            <th>RR intervals</th>
            <th>Missed beats</th>
            <th>Dropouts</th>
            <th>Link events</th>
          </tr>
        </thead>
        <tbody>
          {data.devices.map((d) => (
            <tr key={d.deviceId} data-testid={`session-device-${d.deviceId}`}>
              <td>
                <input type="checkbox" checked={shown?.includes(d.deviceId) ?? false} onChange={() => toggle(d.deviceId)} aria-label={`Show ${names(d.deviceId)}`} />
                <span className="swatch" style={{ background: colorOf(d.deviceId) }} aria-hidden="true" />
              </td>
              <td>
                {names(d.deviceId)}
                {names(d.deviceId) !== d.deviceId && <div className="muted mono">{d.deviceId}</div>}
              </td>
              <td>{d.participantId || '—'}</td>
              <td>{formatDuration(d.durationMs)}</td>
              <td>{d.samples.toLocaleString()}</td>
              <td>{d.rrIntervals > 0 ? d.rrIntervals.toLocaleString() : '—'}</td>
              <td data-testid="missed-beats">{d.rrIntervals > 0 ? d.missedBeats.toLocaleString() : '—'}</td>
              <td data-testid="dropouts">
                {d.dropouts}
                {d.dropouts > 0 && <span className="muted"> ({formatDuration(d.dropoutMs)} in total)</span>}
              </td>
              <td>{d.linkEvents}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.markers.length > 0 && (
        <>
          <h4>Markers</h4>
          <ol className="session-markers" data-testid="session-markers">
            {data.markers.map((m) => (
              <li key={m.n}>
                <button className="link" onClick={() => setZoom(zoomRange(m.tMs - 1, m.tMs + 1, 30_000, duration))} title="Show the minute around this marker">
                  <span className="mono">{formatOffset(m.tMs)}</span> {m.label}
                </button>{' '}
                <span className="muted">({m.source})</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {data.links.length > 0 && (
        <details className="session-links">
          <summary>
            Device link events ({data.links.length + data.linksLeftOut})
          </summary>
          <ul data-testid="session-links">
            {data.links.map((l, i) => (
              <li key={i}>
                <span className="mono">{formatOffset(l.tMs)}</span> {names(l.deviceId)} <strong style={{ color: LINK_COLORS[l.event] }}>{l.event}</strong>{' '}
                <span className="muted">{l.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
