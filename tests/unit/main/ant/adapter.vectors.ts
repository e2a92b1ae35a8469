/** Frames (docs/ant-plus.md §4, §5) and the samples the adapter must make of them. */

/** A sequence of frames through the adapter's raw tap and the samples expected. */
export interface AdapterVector {
  readonly id: string;
  readonly frames: readonly string[];
  readonly expected: readonly { deviceId: string; metric: string; value: number; flags?: number }[];
  readonly source: string;
}

const ext = (page: string, devLo: string, devHi: string, type: string): string => `A4 13 4E 00 ${page} E0 ${devLo} ${devHi} ${type} 01 20 C4 B0 34 12`;

/** Checksums are filled in by the test. */
export const ADAPTER_VECTORS: readonly AdapterVector[] = [
  {
    id: 'HR page 4, one new beat per message → HR and RR each, the first RR from page 4 alone',
    frames: [ext('84 FF 55 03 AA 06 02 48', '39', '30', '78'), ext('84 FF AA 06 2A 0A 03 48', '39', '30', '78')],
    expected: [
      { deviceId: 'ant:120:12345', metric: 'rssi', value: -60 },
      { deviceId: 'ant:120:12345', metric: 'heartRate', value: 72 },
      { deviceId: 'ant:120:12345', metric: 'rrInterval', value: (0x06aa - 0x0355) * 1000 / 1024, flags: 0 },
      { deviceId: 'ant:120:12345', metric: 'heartRate', value: 72 },
      { deviceId: 'ant:120:12345', metric: 'rrInterval', value: (0x0a2a - 0x06aa) * 1000 / 1024, flags: 0 },
    ],
    source: '§4 strap, §5.1 RR rule (page 4 carries the previous beat time)',
  },
  {
    id: 'HR count jumps by 3 on page 4 → only the newest interval, flagged missedBefore',
    frames: [ext('84 FF 55 03 AA 06 02 48', '39', '30', '78'), ext('84 FF 00 10 00 14 05 48', '39', '30', '78')],
    expected: [
      { deviceId: 'ant:120:12345', metric: 'rssi', value: -60 },
      { deviceId: 'ant:120:12345', metric: 'heartRate', value: 72 },
      { deviceId: 'ant:120:12345', metric: 'rrInterval', value: (0x06aa - 0x0355) * 1000 / 1024, flags: 0 },
      { deviceId: 'ant:120:12345', metric: 'heartRate', value: 72 },
      { deviceId: 'ant:120:12345', metric: 'rrInterval', value: (0x1400 - 0x1000) * 1000 / 1024, flags: 1 },
    ],
    source: '§5.1 "discard the gap"',
  },
  {
    id: 'power page 0x10 → power and cadence; unchanged event count → nothing',
    frames: [ext('10 05 FF 5A 10 27 C8 00', '01', '00', '0B'), ext('10 05 FF 5A 10 27 C8 00', '01', '00', '0B')],
    expected: [
      { deviceId: 'ant:11:1', metric: 'rssi', value: -60 },
      { deviceId: 'ant:11:1', metric: 'power', value: 200 },
      { deviceId: 'ant:11:1', metric: 'cadence', value: 90 },
    ],
    source: '§5.4 page 0x10',
  },
  {
    id: 'common battery page 0x52 on a power meter → battery %',
    frames: [ext('52 FF FF 00 00 00 00 23', '01', '00', '0B')],
    expected: [
      { deviceId: 'ant:11:1', metric: 'rssi', value: -60 },
      { deviceId: 'ant:11:1', metric: 'battery', value: 80 },
    ],
    source: 'common page 0x52, status 2 = good',
  },
];
