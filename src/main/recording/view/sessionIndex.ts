/**
 * The in-memory index of one recorded session for the session view: every sample as typed
 * columns per device metric, RR intervals with the beats missed before them, markers, device
 * link events and per-device tallies. It is fed record by record (so a live session is read on
 * incrementally) and answers range queries with {@link decimateMinMax}. Names read from the file
 * are checked like network input: a record with an unusable device id is counted and left out.
 */
import { METRICS, type MetricId } from '../../../shared/metrics';
import { decimateMinMax, lowerBound, upperBound, type Columns } from '../../../shared/recording/decimate';
import type { HeaderRecord, LinkRecord, SessionRecord } from '../../../shared/recording/records';
import { SAMPLE_FLAGS } from '../../../shared/sample';
import type { SessionView } from '../../../shared/contract/sessionView';
import { ParticipantMap } from '../export/participants';

/** Growable typed columns of one device metric. */
class SeriesColumns implements Columns {
  t = new Float64Array(256);
  v = new Float64Array(256);
  n = 0;
  /** RR only: beats missed before each interval (0 for none). */
  missed: Uint16Array | undefined;

  constructor(
    readonly deviceId: string,
    readonly metric: MetricId,
  ) {
    if (metric === 'rrInterval') this.missed = new Uint16Array(256);
  }

  /** Break the line before intervals that follow missed beats. */
  get breakBefore(): Uint16Array | undefined {
    return this.missed;
  }

  push(tMs: number, value: number, missed: number): void {
    if (this.n === this.t.length) this.grow();
    this.t[this.n] = tMs;
    this.v[this.n] = value;
    if (this.missed) this.missed[this.n] = Math.min(missed, 0xffff);
    this.n++;
  }

  private grow(): void {
    const size = this.t.length * 2;
    const t = new Float64Array(size);
    const v = new Float64Array(size);
    t.set(this.t);
    v.set(this.v);
    this.t = t;
    this.v = v;
    if (this.missed) {
      const m = new Uint16Array(size);
      m.set(this.missed);
      this.missed = m;
    }
  }
}

/** Running tallies of one device. */
interface DeviceTally {
  readonly deviceId: string;
  firstMs: number;
  lastMs: number;
  samples: number;
  rrIntervals: number;
  missedBeats: number;
  dropouts: number;
  dropoutMs: number;
  linkEvents: number;
  /** Silence (ms) that counts as a dropout: the shortest stale timeout of the device's metrics. */
  gapMs: number;
  readonly metrics: Set<MetricId>;
  lastRrMs: number;
  lastRrCount: number | undefined;
}

/** Most link events and markers kept for the view (the rest are counted). */
const MAX_LINKS = 5000;
const MAX_MARKERS = 5000;
/** A silence that breaks a line when the metric has no stale timeout (RR intervals, battery). */
const DEFAULT_GAP_MS = 5000;
const GAP_MARGIN_MS = 250;

/** Gap of a metric's line in the chart: its stale timeout (as the live charts use) plus a margin. */
function chartGapMs(metric: MetricId): number {
  return (METRICS[metric].staleAfterMs ?? DEFAULT_GAP_MS) + GAP_MARGIN_MS;
}

function isUsableName(s: string, max: number): boolean {
  return s.length > 0 && s.length <= max;
}

/**
 * Beats missed before an RR interval: from the strap's 8-bit beat counter when both intervals
 * carry it (the wrap is resolved with the reception-time gap), else 1 when the interval is
 * flagged `missedBefore`, else 0.
 */
function missedBeatsBefore(rrMs: number, tMs: number, count: number | undefined, flags: number | undefined, lastTMs: number, lastCount: number | undefined): number {
  let missed = 0;
  if (count !== undefined && lastCount !== undefined && rrMs > 0) {
    const delta = (((count - lastCount) % 256) + 256) % 256;
    if (delta > 1) {
      const beatsByTime = (tMs - lastTMs) / rrMs;
      const beats = delta + 256 * Math.max(0, Math.round((beatsByTime - delta) / 256));
      missed = beats - 1;
    }
  }
  if (missed === 0 && flags !== undefined && (flags & SAMPLE_FLAGS.missedBefore) !== 0) missed = 1;
  return missed;
}

/** What a range query asks for. */
export interface ViewQuery {
  /** Range in ms from the session start; default the whole session. */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly buckets: number;
  readonly deviceIds?: readonly string[];
  readonly metrics: readonly MetricId[];
}

/** The index of one session. */
export class SessionIndex {
  header: HeaderRecord | null = null;
  lastTMs = -Infinity;
  rejectedRecords = 0;
  badLines = 0;
  hasEnded = false;
  private participants: ParticipantMap | null = null;
  private readonly series = new Map<string, SeriesColumns>();
  private readonly tallies = new Map<string, DeviceTally>();
  private readonly markers: SessionView['markers'] = [];
  private readonly links: SessionView['links'] = [];
  private linksLeftOut = 0;

  /** Add one record (in file order). */
  note(r: SessionRecord): void {
    if (r.k === 'header') {
      if (this.header) return;
      this.header = r;
      this.participants = new ParticipantMap(r.participants.filter((p) => isUsableName(p.id, 64)));
      return;
    }
    if (r.k === 'raw' || r.k === 'clock') return;
    if (r.t > this.lastTMs) this.lastTMs = r.t;
    if (r.k === 's') {
      if (!isUsableName(r.d, 120)) {
        this.rejectedRecords++;
        return;
      }
      this.sample(r.t, r.d, r.m, r.v, r.ti?.eventCount, r.ti?.flags);
    } else if (r.k === 'link') this.link(r);
    else if (r.k === 'marker') {
      if (this.markers.length < MAX_MARKERS) this.markers.push({ n: r.n, tMs: r.t, label: r.label.slice(0, 200), source: r.src.slice(0, 40) });
    } else if (r.k === 'end') this.hasEnded = true;
  }

  private tally(deviceId: string, tMs: number): DeviceTally {
    let d = this.tallies.get(deviceId);
    if (!d) {
      d = {
        deviceId,
        firstMs: tMs,
        lastMs: tMs,
        samples: 0,
        rrIntervals: 0,
        missedBeats: 0,
        dropouts: 0,
        dropoutMs: 0,
        linkEvents: 0,
        gapMs: Infinity,
        metrics: new Set(),
        lastRrMs: -Infinity,
        lastRrCount: undefined,
      };
      this.tallies.set(deviceId, d);
    }
    return d;
  }

  private sample(tMs: number, deviceId: string, metric: MetricId, value: number, count: number | undefined, flags: number | undefined): void {
    const d = this.tally(deviceId, tMs);
    if (!d.metrics.has(metric)) {
      d.metrics.add(metric);
      const stale = METRICS[metric].staleAfterMs;
      if (stale !== null) d.gapMs = Math.min(d.gapMs, stale + GAP_MARGIN_MS);
    }
    if (d.samples > 0) {
      const silence = tMs - d.lastMs;
      if (silence > (Number.isFinite(d.gapMs) ? d.gapMs : DEFAULT_GAP_MS + GAP_MARGIN_MS)) {
        d.dropouts++;
        d.dropoutMs += silence;
      }
    }
    d.samples++;
    if (tMs > d.lastMs) d.lastMs = tMs;
    if (tMs < d.firstMs) d.firstMs = tMs;
    const key = `${deviceId}\u0000${metric}`;
    let s = this.series.get(key);
    if (!s) {
      s = new SeriesColumns(deviceId, metric);
      this.series.set(key, s);
    }
    let missed = 0;
    if (metric === 'rrInterval') {
      missed = missedBeatsBefore(value, tMs, count, flags, d.lastRrMs, d.rrIntervals > 0 ? d.lastRrCount : undefined);
      d.rrIntervals++;
      d.missedBeats += missed;
      d.lastRrMs = tMs;
      d.lastRrCount = count;
    }
    s.push(tMs, value, missed);
  }

  private link(r: LinkRecord): void {
    if (!isUsableName(r.d, 120)) {
      this.rejectedRecords++;
      return;
    }
    this.tally(r.d, r.t).linkEvents++;
    if (this.links.length < MAX_LINKS) this.links.push({ tMs: r.t, deviceId: r.d, event: r.e, reason: r.reason.slice(0, 200) });
    else this.linksLeftOut++;
  }

  /** The view of a range (times in the answer are ms from the session start). */
  query(q: ViewQuery, meta: Pick<SessionView, 'sessionId' | 'state' | 'recovered' | 'isLive'>): SessionView {
    const h = this.header!;
    const origin = h.startMs;
    const durationMs = Math.max(0, (Number.isFinite(this.lastTMs) ? this.lastTMs : origin) - origin);
    const fromRel = Math.max(0, Math.min(q.fromMs ?? 0, durationMs));
    const toRel = Math.max(fromRel + 1, Math.min(q.toMs ?? durationMs, durationMs) || fromRel + 1);
    const from = origin + fromRel;
    const to = origin + toRel;
    const wanted = q.deviceIds ? new Set(q.deviceIds) : null;
    const metrics = new Set<MetricId>(q.metrics);
    const rel = (t: number): number => Math.round((t - origin) * 1000) / 1000;
    const series: SessionView['series'] = [];
    const missedBeats: SessionView['missedBeats'] = [];
    for (const s of this.series.values()) {
      if ((wanted && !wanted.has(s.deviceId)) || !metrics.has(s.metric)) continue;
      const cols = decimateMinMax(
        { t: s.t, v: s.v, n: s.n, breakBefore: s.breakBefore },
        from,
        to,
        q.buckets,
        chartGapMs(s.metric),
        origin,
      );
      series.push({ deviceId: s.deviceId, metric: s.metric, ...cols });
      if (s.missed) missedBeats.push({ deviceId: s.deviceId, ...missedInRange(s, from, to, q.buckets, rel) });
    }
    const p = this.participants;
    const devices = [...this.tallies.values()].map((d) => ({
      deviceId: d.deviceId,
      participantId: p?.ownerOf(d.deviceId) ?? '',
      metrics: [...d.metrics],
      firstMs: rel(d.firstMs),
      lastMs: rel(d.lastMs),
      durationMs: Math.max(0, d.lastMs - d.firstMs),
      samples: d.samples,
      rrIntervals: d.rrIntervals,
      missedBeats: d.missedBeats,
      dropouts: d.dropouts,
      dropoutMs: d.dropoutMs,
      linkEvents: d.linkEvents,
    }));
    return {
      ...meta,
      subjectId: h.subjectId.slice(0, 64),
      sessionLabel: h.sessionId.slice(0, 64),
      participants: h.participants.slice(0, 100).map((x) => x.id.slice(0, 64)),
      startMs: origin,
      durationMs,
      fromMs: fromRel,
      toMs: toRel,
      devices,
      series,
      missedBeats,
      markers: this.markers.map((m) => ({ ...m, tMs: rel(m.tMs) })),
      links: this.links.map((l) => ({ ...l, tMs: rel(l.tMs) })),
      linksLeftOut: this.linksLeftOut,
      badLines: this.badLines,
      rejectedRecords: this.rejectedRecords,
    };
  }
}

/** RR intervals after missed beats in a range: all of them, or the largest gap per bucket when many. */
function missedInRange(s: SeriesColumns, from: number, to: number, buckets: number, rel: (t: number) => number): Omit<SessionView['missedBeats'][number], 'deviceId'> {
  const out = { tMs: [] as number[], rrMs: [] as number[], missedBeats: [] as number[] };
  const missed = s.missed!;
  const i0 = lowerBound(s.t, s.n, from);
  const i1 = upperBound(s.t, s.n, to);
  const width = (to - from) / buckets;
  let lastBucket = -1;
  let count = 0;
  for (let i = i0; i < i1; i++) if (missed[i]! > 0) count++;
  const perBucket = count > 2 * buckets;
  for (let i = i0; i < i1; i++) {
    const m = missed[i]!;
    if (m === 0) continue;
    const b = Math.floor((s.t[i]! - from) / width);
    if (perBucket && b === lastBucket) {
      const last = out.missedBeats.length - 1;
      if (m > out.missedBeats[last]!) {
        out.tMs[last] = rel(s.t[i]!);
        out.rrMs[last] = s.v[i]!;
        out.missedBeats[last] = m;
      }
      continue;
    }
    lastBucket = b;
    out.tMs.push(rel(s.t[i]!));
    out.rrMs.push(s.v[i]!);
    out.missedBeats.push(m);
  }
  return out;
}
