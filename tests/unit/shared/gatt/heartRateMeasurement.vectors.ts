/** Heart Rate Measurement 0x2A37 vectors (docs/gatt.md §10.1). */
import type { HeartRateMeasurement } from '../../../../src/shared/gatt/heartRateMeasurement';

/** One vector: hex input, the decoded fields it must yield, and where it comes from. */
export interface HrVector {
  readonly id: string;
  readonly hex: string;
  readonly expected: Omit<HeartRateMeasurement, 'rrMs'>;
  readonly source: string;
}

const AUUKI = 'dvmarinoff/Auuki test/ble/heart-rate-measurement.test.js';
const XML = 'constructed (heart_rate_measurement.xml)';

/** §10.1 vectors. */
export const HR_VECTORS: readonly HrVector[] = [
  { id: 'HR-01', hex: '00 51', expected: { heartRateBpm: 81, isUint16: false, contact: 'unsupported', rrRaw: [] }, source: AUUKI },
  { id: 'HR-02', hex: '01 2C 01', expected: { heartRateBpm: 300, isUint16: true, contact: 'unsupported', rrRaw: [] }, source: AUUKI },
  { id: 'HR-03', hex: '10 43 72 03', expected: { heartRateBpm: 67, isUint16: false, contact: 'unsupported', rrRaw: [882] }, source: AUUKI },
  {
    id: 'HR-04',
    hex: '10 67 72 03 8A 03 95 04',
    expected: { heartRateBpm: 103, isUint16: false, contact: 'unsupported', rrRaw: [882, 906, 1173] },
    source: AUUKI,
  },
  {
    id: 'HR-05',
    hex: '18 43 D0 07 72 03',
    expected: { heartRateBpm: 67, isUint16: false, contact: 'unsupported', energyExpendedKj: 2000, rrRaw: [882] },
    source: AUUKI,
  },
  { id: 'HR-06', hex: '06 43', expected: { heartRateBpm: 67, isUint16: false, contact: 'detected', rrRaw: [] }, source: AUUKI },
  { id: 'HR-07', hex: '04 43', expected: { heartRateBpm: 67, isUint16: false, contact: 'notDetected', rrRaw: [] }, source: AUUKI },
  { id: 'HR-08', hex: '16 48 00 04', expected: { heartRateBpm: 72, isUint16: false, contact: 'detected', rrRaw: [1024] }, source: XML },
  {
    id: 'HR-09',
    hex: '19 2C 01 E8 03 00 04 00 02',
    expected: { heartRateBpm: 300, isUint16: true, contact: 'unsupported', energyExpendedKj: 1000, rrRaw: [1024, 512] },
    source: XML,
  },
  { id: 'HR-10', hex: '11 48 00 00 04', expected: { heartRateBpm: 72, isUint16: true, contact: 'unsupported', rrRaw: [1024] }, source: XML },
  { id: 'HR-11', hex: '02 48', expected: { heartRateBpm: 72, isUint16: false, contact: 'unsupported', rrRaw: [] }, source: XML },
  { id: 'HR-12', hex: '10 48', expected: { heartRateBpm: 72, isUint16: false, contact: 'unsupported', rrRaw: [] }, source: XML },
  { id: 'HR-13', hex: '10 48 00 04 00', expected: { heartRateBpm: 72, isUint16: false, contact: 'unsupported', rrRaw: [1024] }, source: XML },
  {
    id: 'HR-14',
    hex: '08 48 FF FF',
    expected: { heartRateBpm: 72, isUint16: false, contact: 'unsupported', energyExpendedKj: 65535, rrRaw: [] },
    source: XML,
  },
];
