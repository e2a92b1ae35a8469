/**
 * ANT+ benchmarks.
 * 1. Frames decoded per second through the whole path — our driver, the scan channel, the sample adapter with its page
 *    decoders, and the sample hub — against a same-run baseline of the bare framing loop (FrameSplitter over the same
 *    transfers).
 * 2. CPU per simulated stick at the ANT USB-m ceiling of 190 messages/s (47 HR straps at 4.06 Hz, scan mode) over a
 *    few seconds of real-time traffic, against the same simulator running with nothing decoding its output.
 */
import { fileURLToPath } from 'node:url';
import { AntService } from '../src/main/ant/antService';
import { AntStickDriver } from '../src/main/ant/driver';
import { AntSampleAdapter } from '../src/main/ant/adapter';
import { SimAntBus } from '../src/main/ant/sim/simBus';
import { HrPageSource } from '../src/main/ant/sim/simDevices';
import { SimAntStick } from '../src/main/ant/sim/simStick';
import { StickSession } from '../src/main/ant/stickSession';
import type { AntTransport } from '../src/main/ant/transport';
import { encodeExtendedData } from '../src/shared/ant/extended';
import { encodeFrame } from '../src/shared/ant/frame';
import { FrameSplitter } from '../src/shared/ant/splitter';
import { SampleHub } from '../src/main/hub';
import { measure, report } from './harness';

const STRAPS = 40;
const MESSAGES = 4000;

/** Realistic scan-mode transfers: HR pages of 40 straps with extended data, as many 23-byte frames as fit a 64-byte transfer. */
function makeTransfers(): Uint8Array[] {
  const sources = Array.from({ length: STRAPS }, (_, i) => new HrPageSource({ kind: 'hr', deviceNumber: 100 + i, valueAt: () => ({ heartRate: 60 + i }), isInRange: () => true }));
  const frames: Uint8Array[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const i = m % STRAPS;
    const page = sources[i]!.next(Math.floor(m / STRAPS) * 246);
    const ext = encodeExtendedData(0xe0, { deviceNumber: 100 + i, deviceType: 0x78, transmissionType: 1, rssiDbm: -60, thresholdDbm: -80, rxTimestamp: m });
    frames.push(encodeFrame(0x4e, [0, ...page, ...ext]));
  }
  const transfers: Uint8Array[] = [];
  let i = 0;
  while (i < frames.length) {
    let size = 0;
    let j = i;
    while (j < frames.length && size + frames[j]!.length <= 64) size += frames[j++]!.length;
    const t = new Uint8Array(size);
    let off = 0;
    for (let k = i; k < j; k++) {
      t.set(frames[k]!, off);
      off += frames[k]!.length;
    }
    transfers.push(t);
    i = j;
  }
  return transfers;
}

/** A transport that lets the benchmark inject transfers after the simulated stick did the handshake. */
function tap(sim: SimAntStick): { transport: AntTransport; inject: (t: Uint8Array) => void } {
  let deliver: (t: Uint8Array) => void = () => undefined;
  const transport: AntTransport = {
    descriptor: sim.descriptor,
    open: () => sim.open(),
    startReading: (onData) => {
      deliver = onData;
      sim.startReading(onData);
    },
    write: (f) => sim.write(f),
    close: () => sim.close(),
  };
  return { transport, inject: (t) => deliver(t) };
}

async function throughput(): Promise<void> {
  const transfers = makeTransfers();
  const splitter = new FrameSplitter();
  let frames = 0;
  const baseline = measure('bare framing loop (FrameSplitter)', MESSAGES, () => {
    for (const t of transfers) splitter.push(t, () => frames++);
  });

  const sim = new SimAntStick({ key: 'bench' });
  const { transport, inject } = tap(sim);
  let clock = 1_000_000;
  const hub = new SampleHub({ now: () => clock });
  let released = 0;
  hub.subscribe((b) => (released += b.length));
  const driver = new AntStickDriver(transport, { now: () => clock });
  const adapter = new AntSampleAdapter({ sink: hub, onDeviceSeen: () => undefined });
  driver.frameTap = (f, t) => adapter.onFrame(f, t);
  await driver.start();
  const session = new StickSession({ driver, adapter });
  const scanError = await session.startScan();
  if (scanError) throw new Error(scanError.message);
  const subject = measure('driver + scan channel + adapter + hub', MESSAGES, () => {
    for (const t of transfers) inject(t);
    clock += 1000;
    hub.tick(clock + 100);
  });
  report(`ANT+ frames decoded per second (${STRAPS} straps, scan mode, 2 frames per 64-byte transfer)`, subject, baseline);
  console.log(`  (samples released by the hub during the run: ${released})`);
  await session.close();
}

async function cpuAtCeiling(withHost: boolean, seconds: number): Promise<{ cpuMs: number; wallMs: number; messages: number }> {
  const bus = new SimAntBus();
  const sim = new SimAntStick({ key: withHost ? 'ceiling' : 'sim-only' });
  for (let i = 0; i < 47; i++) sim.addDevice({ kind: 'hr', deviceNumber: 500 + i, valueAt: () => ({ heartRate: 70 + (i % 50) }), isInRange: () => true });
  bus.plug(sim);
  const hub = new SampleHub();
  hub.start();
  const service = withHost ? new AntService({ bus, sink: hub }) : null;
  if (service) await service.start();
  else sim.open();
  const start = performance.now();
  const timer = setInterval(() => bus.advanceTo(performance.now() - start), 20);
  const before = sim.stats.dataFramesToHost;
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const wallMs = performance.now() - start;
  if (service) await service.stop();
  hub.stop();
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, messages: sim.stats.dataFramesToHost - before };
}

/** Run the ANT+ benchmarks and print their numbers. */
export async function main(): Promise<void> {
  await throughput();
  const seconds = 3;
  const host = await cpuAtCeiling(true, seconds);
  const bare = await cpuAtCeiling(false, seconds);
  const pct = (r: { cpuMs: number; wallMs: number }): string => `${((100 * r.cpuMs) / r.wallMs).toFixed(2)} % of one core`;
  console.log(`CPU per simulated stick at the USB-m ceiling (47 straps, ${(host.messages / (host.wallMs / 1000)).toFixed(0)} messages/s, ${seconds} s real time)`);
  console.log(`  simulated stick + driver + adapter + hub            ${pct(host)}`);
  console.log(`  simulated stick alone, output not decoded            ${pct(bare)}  (baseline, same run)`);
  console.log(`  host-side cost: ${(((host.cpuMs - bare.cpuMs) / host.wallMs) * 100).toFixed(2)} % of one core; ratio ${(host.cpuMs / Math.max(bare.cpuMs, 0.001)).toFixed(2)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main();
