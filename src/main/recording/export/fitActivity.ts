/**
 * FIT activity file of one participant, written with Garmin's FIT SDK encoder (FIT Protocol,
 * Activity file type; profile messages file_id, event, record, hrv, lap, session, activity).
 * Records are at 1 Hz from the per-second table (last value in the second, seconds without
 * data have no record); HRV messages carry the recorded RR intervals in order, in seconds. The FIT
 * `hrv.time` field is uint16 with scale 1000, so each RR is stored to the nearest millisecond.
 * Timestamps are whole seconds (FIT `date_time`), but `total_elapsed_time` and `total_timer_time`
 * (uint32, scale 1000) carry the exact duration to the millisecond, and the lap and session carry
 * the average and maximum heart rate of the records written (docs/fit.md).
 */
import {
  Encoder,
  type ActivityMesg,
  type EventMesg,
  type FileIdMesg,
  type HrvMesg,
  type LapMesg,
  type Mesg,
  type RecordMesg,
  type SessionMesg,
} from '@garmin/fitsdk';

/** Global message numbers of the FIT profile (Profile.xlsx, mesg_num). */
const MESG = { FILE_ID: 0, SESSION: 18, LAP: 19, RECORD: 20, EVENT: 21, ACTIVITY: 34, HRV: 78 } as const;

/** One record row (values in app units: bpm, W, rpm, m/s, m). */
export interface FitRecordRow {
  readonly tSec: number;
  readonly heartRate?: number;
  readonly power?: number;
  readonly cadence?: number;
  readonly speed?: number;
  readonly distance?: number;
}

/** Input of {@link encodeFitActivity}. */
export interface FitActivityInput {
  readonly startMs: number;
  readonly endMs: number;
  readonly records: readonly FitRecordRow[];
  /** RR intervals in ms, in recorded order, with the second they were received in. */
  readonly rr: readonly { readonly tSec: number; readonly rrMs: number }[];
  /** UTC offset (minutes east) for the activity's local timestamp. */
  readonly utcOffsetMin: number;
}

/** Largest raw values of the FIT fields (the all-ones value means invalid). */
const LIMITS = { heartRate: 254, cadence: 254, power: 65534, speed: 65.534, distance: 42949672.94, rrS: 65.534 };

function inRange(v: number | undefined, max: number): v is number {
  return v !== undefined && Number.isFinite(v) && v >= 0 && v <= max;
}

/** A FIT file and what did not fit into it. */
export interface FitActivityOutput {
  readonly bytes: Uint8Array;
  /** Values left out because FIT cannot hold them (e.g. HR above 254 bpm), per field; they stay in the CSVs. */
  readonly outOfRange: Readonly<Record<string, number>>;
}

/** Encode one participant's activity. */
export function encodeFitActivity(input: FitActivityInput): FitActivityOutput {
  const outOfRange: Record<string, number> = {};
  const fits = (field: string, v: number | undefined, max: number): v is number => {
    if (v === undefined) return false;
    if (inRange(v, max)) return true;
    outOfRange[field] = (outOfRange[field] ?? 0) + 1;
    return false;
  };
  const encoder = new Encoder();
  const enc = {
    onMesg<T extends Mesg>(num: number, mesg: T): void {
      encoder.onMesg(num, mesg);
    },
  };
  const start = new Date(Math.floor(input.startMs / 1000) * 1000);
  const end = new Date(Math.max(Math.ceil(input.endMs / 1000) * 1000, start.getTime()));
  // the exact duration in ms (FIT's scale for elapsed and timer time), not the span of the whole-second stamps
  const elapsedS = Math.max(0, Math.round(input.endMs - input.startMs)) / 1000;
  let hrSum = 0;
  let hrCount = 0;
  let hrMax = 0;
  enc.onMesg<FileIdMesg>(MESG.FILE_ID, {
    type: 'activity',
    manufacturer: 'development',
    product: 1,
    serialNumber: 1,
    timeCreated: start,
  });
  enc.onMesg<EventMesg>(MESG.EVENT, { timestamp: start, event: 'timer', eventType: 'start', eventGroup: 0 });
  let rrIndex = 0;
  const writeRrUpTo = (tSec: number): void => {
    const batch: number[] = [];
    while (rrIndex < input.rr.length && input.rr[rrIndex]!.tSec <= tSec) {
      const rrS = input.rr[rrIndex]!.rrMs / 1000;
      rrIndex++;
      if (!fits('hrv.time', rrS, LIMITS.rrS)) continue;
      batch.push(rrS);
      if (batch.length === 5) enc.onMesg<HrvMesg>(MESG.HRV, { time: batch.splice(0) });
    }
    if (batch.length > 0) enc.onMesg<HrvMesg>(MESG.HRV, { time: batch });
  };
  for (const row of input.records) {
    writeRrUpTo(row.tSec - 1);
    const mesg: RecordMesg = { timestamp: new Date(row.tSec * 1000) };
    if (fits('record.heartRate', row.heartRate, LIMITS.heartRate)) {
      mesg.heartRate = Math.round(row.heartRate);
      hrSum += mesg.heartRate;
      hrCount++;
      if (mesg.heartRate > hrMax) hrMax = mesg.heartRate;
    }
    if (fits('record.power', row.power, LIMITS.power)) mesg.power = Math.round(row.power);
    if (fits('record.cadence', row.cadence, LIMITS.cadence)) mesg.cadence = Math.round(row.cadence);
    if (fits('record.speed', row.speed, LIMITS.speed)) mesg.speed = row.speed;
    if (fits('record.distance', row.distance, LIMITS.distance)) mesg.distance = row.distance;
    enc.onMesg<RecordMesg>(MESG.RECORD, mesg);
  }
  writeRrUpTo(Infinity);
  enc.onMesg<EventMesg>(MESG.EVENT, { timestamp: end, event: 'timer', eventType: 'stopAll', eventGroup: 0 });
  const heart = hrCount > 0 ? { avgHeartRate: Math.round(hrSum / hrCount), maxHeartRate: hrMax } : {};
  const summary = { timestamp: end, startTime: start, totalElapsedTime: elapsedS, totalTimerTime: elapsedS, ...heart };
  enc.onMesg<LapMesg>(MESG.LAP, { messageIndex: 0, event: 'lap', eventType: 'stop', ...summary });
  enc.onMesg<SessionMesg>(MESG.SESSION, {
    messageIndex: 0,
    event: 'session',
    eventType: 'stop',
    sport: 'generic',
    subSport: 'generic',
    firstLapIndex: 0,
    numLaps: 1,
    ...summary,
  });
  enc.onMesg<ActivityMesg>(MESG.ACTIVITY, {
    timestamp: end,
    localTimestamp: Math.round(end.getTime() / 1000 - 631065600 + input.utcOffsetMin * 60),
    numSessions: 1,
    type: 'manual',
    event: 'activity',
    eventType: 'stop',
    totalTimerTime: elapsedS,
  });
  return { bytes: encoder.close(), outOfRange };
}
