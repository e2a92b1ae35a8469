/**
 * The streams of an XDF export (docs/xdf.md, "Streams"): one per device and metric family, plus
 * the marker stream and the device link-event stream, with ids and names that depend only on the
 * recording (so two exports of the same session agree), and their header and footer XML.
 */
import { METRICS, type MetricId } from '../../../shared/metrics';
import type { SessionManifest } from '../../../shared/recording/manifest';
import type { HeaderRecord } from '../../../shared/recording/records';
import { xmlElement } from './xdfChunks';
import type { ClockMappingKind } from './xdfClock';

/** Metric families: which metrics share a stream of one device. */
export const XDF_FAMILIES = ['heart', 'rr', 'activity', 'status'] as const;
/** One metric family. */
export type XdfFamily = (typeof XDF_FAMILIES)[number];

/** The family of every metric (a new metric that is not listed fails `tsc`). */
export const FAMILY_OF: { readonly [M in MetricId]: XdfFamily } = {
  heartRate: 'heart',
  contact: 'heart',
  energyExpended: 'heart',
  rrInterval: 'rr',
  power: 'activity',
  cadence: 'activity',
  stepCadence: 'activity',
  speed: 'activity',
  distance: 'activity',
  calories: 'activity',
  steps: 'activity',
  strideLength: 'activity',
  resistance: 'activity',
  battery: 'status',
  rssi: 'status',
};

/** Stream type (LSL `type`) and name suffix of each family. */
export const FAMILY_INFO: { readonly [F in XdfFamily]: { readonly type: string; readonly title: string } } = {
  heart: { type: 'HeartRate', title: 'heart rate' },
  rr: { type: 'RR', title: 'RR intervals' },
  activity: { type: 'Exercise', title: 'activity' },
  status: { type: 'DeviceStatus', title: 'device status' },
};

/** Channels of an RR stream, after the RR value itself. */
export const RR_CHANNELS = [
  { label: 'RR', unit: 'ms', type: 'RR', note: 'RR interval exactly as the sensor sent it' },
  { label: 'DeviceBeatTime', unit: 'ticks', type: 'DeviceTime', note: 'beat event time as the sensor sent it (before rollover); NaN when the sensor sends none' },
  { label: 'BeatCount', unit: 'count', type: 'DeviceCounter', note: 'beat count as the sensor sent it; NaN when none' },
  { label: 'Flags', unit: 'bits', type: 'Flags', note: 'bit 0: beats were missed before this one' },
  { label: 'ReceivedAt', unit: 's', type: 'Time', note: 'reception time on the same clock as the timestamps' },
] as const;

/** Fixed stream ids. */
export const MARKER_STREAM_ID = 1;
/** Stream id of the device link events. */
export const LINK_STREAM_ID = 2;

/** One channel of a stream header. */
export interface XdfChannel {
  readonly label: string;
  readonly unit: string;
  readonly type: string;
  /** Extra `<name>value</name>` elements of the channel. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** What a stream header says. */
export interface XdfStreamInfo {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly format: 'double64' | 'string';
  readonly nominalSrate: number;
  readonly sourceId: string;
  readonly channels: readonly XdfChannel[];
  /** Elements of `<desc><sensor_relay>`: device, participant, clock. */
  readonly about: Readonly<Record<string, string>>;
}

/** Channels of a numeric (non-RR) family stream for the given metrics. */
export function metricChannels(metrics: readonly MetricId[]): XdfChannel[] {
  return metrics.map((m) => ({ label: m, unit: METRICS[m].unit, type: METRICS[m].displayName }));
}

/** The metrics of a family that a device recorded, in catalogue order. */
export function familyMetrics(family: XdfFamily, recorded: ReadonlySet<string>): MetricId[] {
  return (Object.keys(FAMILY_OF) as MetricId[]).filter((m) => FAMILY_OF[m] === family && recorded.has(m));
}

/** StreamHeader XML. */
export function streamHeaderXml(s: XdfStreamInfo, createdAtS: number, sessionBase: string): string {
  const channels = s.channels
    .map((c) => {
      const extra = Object.entries(c.extra ?? {})
        .map(([k, v]) => xmlElement(k, v))
        .join('');
      return `<channel>${xmlElement('label', c.label)}${xmlElement('unit', c.unit)}${xmlElement('type', c.type)}${extra}</channel>`;
    })
    .join('');
  const about = Object.entries(s.about)
    .map(([k, v]) => xmlElement(k, v))
    .join('');
  return (
    '<?xml version="1.0"?>' +
    '<info>' +
    xmlElement('name', s.name) +
    xmlElement('type', s.type) +
    xmlElement('channel_count', s.channels.length) +
    xmlElement('nominal_srate', s.nominalSrate) +
    xmlElement('channel_format', s.format) +
    xmlElement('source_id', s.sourceId) +
    xmlElement('version', '1.1') +
    xmlElement('created_at', createdAtS) +
    xmlElement('session_id', sessionBase) +
    `<desc><channels>${channels}</channels>` +
    `<acquisition>${xmlElement('manufacturer', 'Sensor Relay')}</acquisition>` +
    `<sensor_relay>${about}</sensor_relay></desc>` +
    '</info>'
  );
}

/** StreamFooter XML (exact first/last timestamps and sample count). */
export function streamFooterXml(firstS: number, lastS: number, count: number, nominalSrate: number): string {
  const measured = nominalSrate > 0 && count > 1 && lastS > firstS ? (count - 1) / (lastS - firstS) : 0;
  return (
    '<?xml version="1.0"?><info>' +
    xmlElement('first_timestamp', count > 0 ? firstS : 0) +
    xmlElement('last_timestamp', count > 0 ? lastS : 0) +
    xmlElement('sample_count', count) +
    xmlElement('measured_srate', measured) +
    '</info>'
  );
}

/** Stream name of a device family: `<device id> <family title>`. */
export function deviceStreamName(deviceId: string, family: XdfFamily, metric?: MetricId): string {
  return `${deviceId} ${FAMILY_INFO[family].title}${metric ? ` (${metric})` : ''}`;
}

/** What the file header says about the timestamps, per clock mapping (docs/xdf.md, "Timestamps"). */
const CLOCK_NOTES: { readonly [K in ClockMappingKind]: string } = {
  'sync-pairs':
    "Timestamps are seconds on the recording computer's monotonic clock (LSL local_clock), mapped from the recording with clock pairs taken every few seconds while recording.",
  'header-start':
    "Timestamps are seconds on the recording computer's monotonic clock (LSL local_clock), mapped with the single clock pair taken at the start: this recording predates periodic clock pairs, so a drift between the host clock and the monotonic clock during the session is not corrected.",
  'session-start':
    'Timestamps are seconds since the session start: this recording has no readable monotonic clock reading, so they do not line up with other LSL streams.',
};

/** FileHeader XML: XDF version, start time, and the session and clock mapping it comes from. */
export function fileHeaderXml(m: SessionManifest, h: HeaderRecord | null, kind: ClockMappingKind): string {
  return (
    '<?xml version="1.0"?><info>' +
    xmlElement('version', '1.0') +
    xmlElement('datetime', h?.startIso ?? m.startIso) +
    '<sensor_relay>' +
    xmlElement('session', m.base) +
    xmlElement('subject', m.subjectId) +
    xmlElement('session_label', m.sessionId) +
    xmlElement('start_ms', m.startMs) +
    xmlElement('time_zone', m.timeZone) +
    xmlElement('state', m.state) +
    xmlElement('recovered', m.recovered ? 'true' : 'false') +
    xmlElement('app_version', h?.app.version ?? '') +
    `<clock>${xmlElement('domain', kind === 'session-start' ? 'session' : 'monotonic')}${xmlElement('mapping', kind)}${xmlElement('note', CLOCK_NOTES[kind])}</clock>` +
    '</sensor_relay></info>'
  );
}

/** Header of the marker stream (id {@link MARKER_STREAM_ID}) or the link-event stream (id {@link LINK_STREAM_ID}). */
export function stringStreamInfo(id: number, sessionBase: string): XdfStreamInfo {
  const isMarker = id === MARKER_STREAM_ID;
  return {
    id,
    name: isMarker ? `${sessionBase} markers` : `${sessionBase} device link events`,
    type: isMarker ? 'Markers' : 'DeviceEvents',
    format: 'string',
    nominalSrate: 0,
    sourceId: `sensor-relay:${sessionBase}:${isMarker ? 'markers' : 'links'}`,
    channels: [
      isMarker
        ? { label: 'Marker', unit: 'text', type: 'Marker' }
        : {
            label: 'LinkEvent',
            unit: 'json',
            type: 'Event',
            extra: { description: '{"device": id, "event": connected|stale|lost|reconnected|…, "reason": text}' },
          },
    ],
    about: { sender: 'host', timestamps: isMarker ? 'time the marker was set' : 'time of the connection event' },
  };
}

/** ANT+ message period of a heart-rate strap (docs/ant-plus.md §5): 8070/32768 s. */
const ANT_HR_PERIOD_TICKS = 8070;

/**
 * Nominal rate of a device family stream (docs/xdf.md "Streams"): an ANT+ heart-rate strap sends
 * one heart-rate reading per message at its fixed channel period (4.06 Hz), so its heart stream is
 * regular; everything else arrives when the radio or the counters deliver it and is irregular (0).
 */
export function nominalSrateOf(deviceId: string, family: XdfFamily): number {
  return family === 'heart' && deviceId.startsWith('ant:120:') ? 32768 / ANT_HR_PERIOD_TICKS : 0;
}

