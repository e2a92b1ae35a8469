import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, fromHex, repairChecksum, toHex } from '../../../../src/shared/ant/frame';
import { FrameSplitter } from '../../../../src/shared/ant/splitter';
import { decodeCapabilities } from '../../../../src/shared/ant/messages';
import { emptyExtendedData, encodeExtendedData, readExtendedData } from '../../../../src/shared/ant/extended';
import { decodeHrPage, encodeHrPage } from '../../../../src/shared/ant/hrPage';
import { createRrState, emptyRrResult, nextRr } from '../../../../src/shared/ant/hrRr';
import { decodePowerPage, deriveCtfPages, deriveTorquePages, encodePowerPage } from '../../../../src/shared/ant/powerPage';
import { decodeBscCombined, decodeBscSingle, encodeBscCombined, encodeBscSingle } from '../../../../src/shared/ant/bscPage';
import { ANT_WHEEL, CRANK, updateCounter, type CounterState } from '../../../../src/shared/gatt/derive';
import { decodeFeGeneral, decodeFeTrainer, encodeFeGeneral, encodeFeTrainer } from '../../../../src/shared/ant/fePage';
import { decodeSdmPage1, decodeSdmPage2, encodeSdmPage1, encodeSdmPage2 } from '../../../../src/shared/ant/sdmPage';
import { decodeBatteryPage, decodeManufacturerPage, decodeProductPage, encodeBatteryPage, encodeManufacturerPage, encodeProductPage } from '../../../../src/shared/ant/commonPages';
import { EXT_VECTORS, FRAME_VECTORS, HR_PAGE_VECTORS, POWER_PAIR_VECTORS } from './codecs.vectors';

describe('ANT frames (§1.1)', () => {
  for (const v of FRAME_VECTORS) {
    it(`decodes and re-encodes ${v.id} (${v.source})`, () => {
      const bytes = fromHex(v.hex);
      const r = decodeFrame(bytes);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.id).toBe(v.msgId);
      expect(toHex(r.value.payload)).toBe(toHex(fromHex(v.payloadHex)));
      expect(toHex(encodeFrame(v.msgId, r.value.payload))).toBe(toHex(bytes));
    });
  }

  it('produces a 0xFF checksum where the XOR is 0xFF (the library writes 0x00 there, B3)', () => {
    const frame = encodeFrame(0x51, [0x00, 0x0f, 0x00, 0x78, 0x00]);
    expect(frame[frame.length - 1]).toBe(0x87);
    const ff = fromHex('a4 09 4e 01 83 01 01 33 e0 27 22 48 00');
    expect(repairChecksum(ff)[12]).toBe(0xff);
  });

  it('reports a bad checksum, a bad sync and a short frame with their codes', () => {
    const bad = decodeFrame(fromHex('A4 01 4A 00 EE'));
    expect(bad.ok ? null : bad.code).toBe('ANT_BAD_CHECKSUM');
    const sync = decodeFrame(fromHex('A5 01 4A 00 EF'));
    expect(sync.ok ? null : sync.code).toBe('ANT_BAD_SYNC');
    const short = decodeFrame(fromHex('A4 05 4A'));
    expect(short.ok ? null : short.code).toBe('ANT_SHORT_FRAME');
  });
});

describe('FrameSplitter (§1.2)', () => {
  const collect = (s: FrameSplitter, transfers: Uint8Array[]): string[] => {
    const out: string[] = [];
    for (const t of transfers) s.push(t, (f) => out.push(toHex(f)));
    return out;
  };

  it('splits the real startup+capabilities transfer into two frames that own their buffers', () => {
    const s = new FrameSplitter();
    const frames: Uint8Array[] = [];
    s.push(fromHex('a4 01 6f 20 ea a4 06 54 08 03 00 ba 36 00 71'), (f) => frames.push(f));
    expect(frames.map((f) => toHex(f))).toEqual(['A4 01 6F 20 EA', 'A4 06 54 08 03 00 BA 36 00 71']);
    expect(frames[1]!.byteOffset).toBe(0);
    expect(frames[1]!.buffer.byteLength).toBe(10);
  });

  it('joins a frame that straddles two transfers', () => {
    const whole = fromHex(EXT_VECTORS[1].hex);
    const s = new FrameSplitter();
    expect(collect(s, [whole.subarray(0, 7), whole.subarray(7)])).toEqual([toHex(whole)]);
    expect(s.pendingBytes).toBe(0);
  });

  it('resyncs after garbage and after a corrupted frame, counting both', () => {
    const s = new FrameSplitter();
    const good = 'A4 01 4A 00 EF';
    const out = collect(s, [fromHex(`00 13 ${good} A4 01 4A 00 00 ${good}`)]);
    expect(out).toEqual([good, good]);
    expect(s.stats.badSyncBytes).toBeGreaterThanOrEqual(2);
    expect(s.stats.badChecksums).toBe(1);
    expect(s.stats.frames).toBe(2);
  });
});

describe('capabilities (§1.4)', () => {
  it('reads channel count and scan support from the USB2 (6-byte) and USB-m (8-byte) replies', () => {
    const usb2 = decodeCapabilities(fromHex('08 03 00 BA 36 00'));
    const usbm = decodeCapabilities(fromHex('08 08 00 BA 36 00 DF 79'));
    expect(usb2).toMatchObject({ maxChannels: 8, maxNetworks: 3, canScan: true, payloadLength: 6 });
    expect(usbm).toMatchObject({ maxChannels: 8, maxNetworks: 8, canScan: true, payloadLength: 8 });
    expect(decodeCapabilities(fromHex('04 03 00 BA 32 00'))).toMatchObject({ maxChannels: 4, canScan: false });
  });
});

describe('extended data (§1.5)', () => {
  for (const v of EXT_VECTORS) {
    it(`reads ${v.id}`, () => {
      const ext = emptyExtendedData();
      expect(readExtendedData(fromHex(v.hex), ext)).toBe(true);
      expect(ext).toMatchObject({ deviceNumber: v.deviceNumber, deviceType: v.deviceType, transmissionType: v.transmissionType, rssiDbm: v.rssiDbm, rxTimestamp: v.rxTimestamp });
    });
  }
  it('encodes what it decodes and rejects frames without a channel-ID block', () => {
    const enc = encodeExtendedData(0xe0, { deviceNumber: 12345, deviceType: 0x78, transmissionType: 1, rssiDbm: -60, thresholdDbm: -80, rxTimestamp: 0x1234 });
    expect(toHex(enc)).toBe('E0 39 30 78 01 20 C4 B0 34 12');
    expect(readExtendedData(fromHex('A4 09 4E 00 84 FF 55 03 AA 06 02 48 28'), emptyExtendedData())).toBe(false);
  });
});

describe('HR pages (§5.1)', () => {
  for (const v of HR_PAGE_VECTORS) {
    it(`decodes ${v.id}`, () => {
      expect(decodeHrPage(fromHex(v.hex))).toMatchObject(v.expected);
    });
  }
  it('round-trips page 4 with the toggle bit and rollover-masked counters', () => {
    const page = encodeHrPage({ pageNumber: 4, toggle: 1, manufacturerSpecific: 0xff, previousBeatTicks: 0x0355, beatTimeTicks: 0x106aa, beatCount: 258, heartRateBpm: 72 });
    expect(toHex(page)).toBe('84 FF 55 03 AA 06 02 48');
  });
});

describe('RR from beat time and count (§5.1)', () => {
  const run = (pages: [number, number, number][]): ReturnType<typeof emptyRrResult>[] => {
    const st = createRrState();
    return pages.map(([t, c, prev], i) => ({ ...nextRr(st, t, c, prev, i * 250, emptyRrResult()) }));
  };

  it('yields one RR per single new beat, across the 16-bit time rollover', () => {
    const r = run([[65000, 255, -1], [65000, 255, -1], [(65000 + 800) & 0xffff, 0, -1]]);
    expect(r.map((x) => x.rrTicks)).toEqual([-1, -1, 800]);
    expect(r[2]!.isMissedBefore).toBe(false);
  });

  it('never invents RRs for missed beats: page 0 gives none, page 4 gives only the newest, flagged', () => {
    const p0 = run([[1000, 10, -1], [3400, 13, -1]]);
    expect(p0[1]).toMatchObject({ rrTicks: -1, missedBeats: 2 });
    const p4 = run([[1000, 10, -1], [3400, 13, 2600]]);
    expect(p4[1]).toMatchObject({ rrTicks: 800, isMissedBefore: true, missedBeats: 2 });
  });

  it('after a gap (session start, replug, radio loss) page 4 alone gives the newest beat\'s RR; page 0 only primes', () => {
    // session start: the first page 4 already yields its beat's interval (a fresh state used to drop it)
    expect(run([[3400, 13, 2600]])[0]).toMatchObject({ rrTicks: 800, isMissedBefore: false });
    expect(run([[3400, 13, -1]])[0]).toMatchObject({ rrTicks: -1 });
    // silence longer than the 64 s beat-time rollover: the newest interval is known, flagged as following missed beats
    const st = createRrState();
    nextRr(st, 1000, 10, 200, 0, emptyRrResult());
    expect(nextRr(st, 5000, 90, 4100, 70_000, emptyRrResult())).toMatchObject({ rrTicks: 900, isMissedBefore: true });
    // the same beat repeated after the gap (strap lost contact): nothing new
    expect(nextRr(st, 5000, 90, 4100, 140_000, emptyRrResult())).toMatchObject({ rrTicks: -1 });
  });
});

describe('bicycle power (§5.4, B7)', () => {
  for (const v of POWER_PAIR_VECTORS) {
    it(`derives ${v.id} (${v.source})`, () => {
      const a = decodePowerPage(fromHex(v.a))!;
      const b = decodePowerPage(fromHex(v.b))!;
      const d = a.page === 0x20 ? deriveCtfPages(a, b, v.offsetHz) : deriveTorquePages(a, b);
      expect(d!.cadenceRpm).toBeCloseTo(v.cadenceRpm, 2);
      expect(d!.torqueNm).toBeCloseTo(v.torqueNm, 2);
      expect(d!.powerW).toBeCloseTo(v.powerW, 2);
      expect(toHex(encodePowerPage(b))).toBe(toHex(fromHex(v.b)));
    });
  }
  it('decodes page 0x10 and gives no derived value when the event count did not change', () => {
    const p = decodePowerPage(fromHex('10 05 FF 5A 10 27 C8 00'))!;
    expect(p).toMatchObject({ eventCount: 5, cadenceRpm: 90, accumulatedPowerW: 10000, powerW: 200 });
    const t = decodePowerPage(fromHex('12 0A 0A 3C 00 08 00 00'))!;
    expect(deriveTorquePages(t, t)).toBeNull();
  });
});

describe('speed and cadence (§5.2, §5.3)', () => {
  it('derives cadence and speed across the 16-bit rollover; no value without a new event', () => {
    const a = decodeBscCombined(encodeBscCombined({ cadenceEventTicks: 65000, crankRevs: 65535, speedEventTicks: 65200, wheelRevs: 100 }))!;
    const b = decodeBscCombined(fromHex(toHex(encodeBscCombined({ cadenceEventTicks: 65000 + 1024, crankRevs: 65536, speedEventTicks: 65200 + 512, wheelRevs: 102 }))))!;
    const counter = (revs: number, eventTicks: number): CounterState => ({ revs, eventTicks, tMs: 0, lastEventMs: 0, revsPerSecond: 0, totalRevs: 0, hasRate: true });
    expect(updateCounter(counter(a.crankRevs, a.cadenceEventTicks), b.crankRevs, b.cadenceEventTicks, 1000, CRANK).revsPerSecond! * 60).toBeCloseTo(60, 6);
    expect(updateCounter(counter(a.wheelRevs, a.speedEventTicks), b.wheelRevs, b.speedEventTicks, 500, ANT_WHEEL).revsPerSecond! * 2.1).toBeCloseTo(8.4, 6);
    expect(updateCounter(counter(5, 5), 6, 5, 1000, CRANK)).toMatchObject({ isNewEvent: false });
  });
  it('round-trips speed-only page 5 (stop indicator) and page 4 battery', () => {
    expect(decodeBscSingle(encodeBscSingle({ pageNumber: 5, toggle: 1, isStopped: 1, eventTicks: 70000, revs: 3 }))).toMatchObject({ pageNumber: 5, toggle: 1, isStopped: 1, eventTicks: 70000 - 65536, revs: 3 });
    expect(decodeBscSingle(fromHex('04 FF 80 23 00 00 00 00'))).toMatchObject({ fractionalVoltage: 0x80, coarseVoltage: 3, batteryStatus: 2 });
  });
});

describe('fitness equipment (§5.5)', () => {
  it('round-trips pages 0x10 and 0x19 with app units', () => {
    expect(decodeFeGeneral(encodeFeGeneral({ equipmentType: 25, elapsedS: 10.5, distanceM: 300, speedMps: 8.333, heartRateBpm: 140 }))).toMatchObject({ equipmentType: 25, elapsedTime4: 42, distanceM: 44, speedMps: 8.333, heartRateBpm: 140, isDistanceEnabled: true, feState: 3 });
    expect(decodeFeTrainer(encodeFeTrainer({ eventCount: 300, cadenceRpm: 88, accumulatedPowerW: 70000, powerW: 2500 }))).toMatchObject({ eventCount: 44, cadenceRpm: 88, accumulatedPowerW: 70000 - 65536, powerW: 2500 });
    expect(decodeFeTrainer(fromHex('19 01 FF 00 00 FF 0F 30'))).toMatchObject({ cadenceRpm: null, powerW: null });
  });
});

describe('stride speed & distance (§5.6)', () => {
  it('round-trips page 1 and page 2', () => {
    const p1 = decodeSdmPage1(encodeSdmPage1({ timeS: 300.5, distanceM: 1000.25, speedMps: 3.5, strides: 260 }));
    expect(p1).toEqual({ timeS: 44.5, distanceM: 232.25, speedMps: 3.5, strides: 4 });
    expect(decodeSdmPage2(encodeSdmPage2({ strideCadence: 85.5, speedMps: 3.25 }))).toEqual({ strideCadence: 85.5, speedMps: 3.25 });
  });
});

describe('common pages 0x50–0x52', () => {
  it('round-trips manufacturer, product and battery pages', () => {
    expect(decodeManufacturerPage(encodeManufacturerPage({ hwRevision: 3, manufacturerId: 1, modelNumber: 1234 }))).toEqual({ hwRevision: 3, manufacturerId: 1, modelNumber: 1234 });
    expect(decodeProductPage(encodeProductPage({ swVersion: 2.1, serialNumber: 0x12345678 }))).toEqual({ swVersion: 2.1, serialNumber: 0x12345678 });
    const bat = decodeBatteryPage(encodeBatteryPage(4, 2.75))!;
    expect(bat).toEqual({ voltageV: 2.75, status: 'low', pct: 20 });
  });
});

describe('page decoders are total', () => {
  it('return null for fewer than 8 page bytes instead of fields built from undefined or the checksum byte', () => {
    const seven = fromHex('10 05 FF 5A 10 27 C8');
    expect(decodeHrPage(seven)).toBeNull();
    expect(decodePowerPage(seven)).toBeNull();
    expect(decodeBscCombined(seven)).toBeNull();
    expect(decodeBscSingle(seven)).toBeNull();
    expect(decodeFeGeneral(seven)).toBeNull();
    expect(decodeFeTrainer(seven)).toBeNull();
    expect(decodeSdmPage1(seven)).toBeNull();
    expect(decodeSdmPage2(seven)).toBeNull();
    expect(decodeManufacturerPage(seven)).toBeNull();
    expect(decodeProductPage(seven)).toBeNull();
    expect(decodeBatteryPage(seven)).toBeNull();
    // the 8 page bytes of a whole frame start at offset 4: a 2-byte power message has 1 page byte there
    expect(decodePowerPage(fromHex('A4 02 4E 00 10 F8'), 4)).toBeNull();
  });
});
