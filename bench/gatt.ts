/**
 * GATT decoder throughput: notifications/s per characteristic through the table-driven decoders, against a
 * baseline of reading the same bytes with a bare `DataView` loop (one little-endian read per field-sized chunk)
 * in the same run. Also the full notification path (decode + error count + samples) for each.
 */
import { fileURLToPath } from 'node:url';
import { encodeCscMeasurement } from '../src/shared/gatt/cscMeasurement';
import { encodeCyclingPowerMeasurement } from '../src/shared/gatt/cyclingPowerMeasurement';
import { encodeHeartRateMeasurement } from '../src/shared/gatt/heartRateMeasurement';
import { encodeIndoorBikeData } from '../src/shared/gatt/indoorBikeData';
import { findGattCodec, type GattCodec } from '../src/shared/gatt/registry';
import { encodeRscMeasurement } from '../src/shared/gatt/rscMeasurement';
import { decodeNotification, EMPTY_DECODE_ERRORS, initialGattSampleState } from '../src/shared/gatt/samples';
import { encodeTreadmillData } from '../src/shared/gatt/treadmillData';
import { measure, rate, report } from './harness';

const PACKETS = 1000;

/** Realistic notification streams (1000 packets each, counters advancing) per characteristic. */
function streams(): { name: string; packets: DataView[] }[] {
  const make = (f: (i: number) => Uint8Array) => Array.from({ length: PACKETS }, (_, i) => new DataView(f(i).buffer));
  return [
    { name: 'heart_rate_measurement', packets: make((i) => encodeHeartRateMeasurement({ heartRateBpm: 120 + (i % 40), contact: 'detected', rrRaw: i % 3 === 0 ? [500, 512] : [505] })) },
    {
      name: 'cycling_power_measurement',
      packets: make((i) =>
        encodeCyclingPowerMeasurement({
          powerW: 200 + (i % 50), isBalanceReferenceLeft: true, isTorqueSourceCrank: true, isOffsetCompensationIndicated: false,
          pedalPowerBalancePct: 50, cumulativeCrankRevs: i & 0xffff, lastCrankEventTicks: (i * 683) & 0xffff,
        }),
      ),
    },
    {
      name: 'csc_measurement',
      packets: make((i) =>
        encodeCscMeasurement({ cumulativeWheelRevs: i * 4, lastWheelEventTicks: (i * 1024) & 0xffff, cumulativeCrankRevs: i & 0xffff, lastCrankEventTicks: (i * 683) & 0xffff }),
      ),
    },
    { name: 'rsc_measurement', packets: make((i) => encodeRscMeasurement({ speedMps: 3 + (i % 10) / 10, stepCadenceSpm: 170, isRunning: true, strideLengthM: 1.1, totalDistanceM: i * 3 })) },
    {
      name: 'indoor_bike_data',
      packets: make((i) => encodeIndoorBikeData({ isMoreData: false, speedKmh: 30, cadenceRpm: 90, totalDistanceM: i * 8, resistanceLevel: 10, powerW: 250, heartRateBpm: 140, elapsedTimeS: i })),
    },
    {
      name: 'treadmill_data',
      packets: make((i) => encodeTreadmillData({ isMoreData: false, paceBytes: 2, speedKmh: 10, totalDistanceM: i * 3, inclinationPct: 1, rampAngleDeg: 0, heartRateBpm: 150, elapsedTimeS: i })),
    },
    { name: 'battery_level', packets: make((i) => Uint8Array.of(i % 101)) },
  ];
}

/** Baseline: read every packet with plain DataView reads — flags, then 16-bit words, then a trailing byte. */
function bareLoop(packets: DataView[]): number {
  let sum = 0;
  for (const dv of packets) {
    const n = dv.byteLength;
    let o = 0;
    for (; o + 2 <= n; o += 2) sum += dv.getUint16(o, true);
    if (o < n) sum += dv.getUint8(o);
  }
  return sum;
}

/** Run the GATT benchmark and print its numbers. */
export function main(): void {
  let sink = 0;
  const rows: string[] = [];
  for (const { name, packets } of streams()) {
    const codec = findGattCodec(name) as GattCodec;
    const decode = measure(`${name}: decode`, PACKETS, () => {
      for (const dv of packets) if (codec.decode(dv).ok) sink++;
    });
    const baseline = measure(`${name}: bare DataView loop`, PACKETS, () => {
      sink += bareLoop(packets) & 1;
    });
    let state = initialGattSampleState();
    const full = measure(`${name}: decode + samples`, PACKETS, () => {
      let t = 0;
      for (const dv of packets) {
        const r = decodeNotification(name, dv, state, EMPTY_DECODE_ERRORS, (t += 250), 'ble:bench');
        state = r.state;
        sink += r.samples.length;
      }
    });
    report(`GATT ${name} (notifications/s)`, decode, baseline);
    console.log(`  ${full.name.padEnd(44)} ${rate(full.opsPerSecond).padStart(12)}  ratio to baseline: ${(full.opsPerSecond / baseline.opsPerSecond).toFixed(3)}`);
    rows.push(`${name}\t${Math.round(decode.opsPerSecond)}\t${Math.round(baseline.opsPerSecond)}\t${(decode.opsPerSecond / baseline.opsPerSecond).toFixed(3)}`);
  }
  console.log('\ncharacteristic\tdecode/s\tbaseline/s\tratio');
  for (const r of rows) console.log(r);
  if (sink === 0) throw new Error('benchmark decoded nothing');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
