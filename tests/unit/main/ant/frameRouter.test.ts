import { describe, expect, it } from 'vitest';
import { AntStickDriver } from '../../../../src/main/ant/driver';
import { byChannel, byDeviceType, FrameRouter } from '../../../../src/main/ant/frameRouter';
import type { AntTransport } from '../../../../src/main/ant/transport';
import { fromHex } from '../../../../src/shared/ant/frame';

function driver(): AntStickDriver {
  const transport: AntTransport = {
    descriptor: { key: 'r', vendorId: 0x0fcf, productId: 0x1009, label: 'test', isSimulated: true },
    open: () => ({ ok: true, value: undefined }),
    startReading: () => undefined,
    write: async () => undefined,
    close: async () => undefined,
  };
  return new AntStickDriver(transport);
}

const HR_EXT = 'A4 0E 4E 00 84 FF 55 03 AA 06 02 48 80 39 30 78 01 DF';
const EVENT_CH1 = 'A4 03 40 01 01 02 E5';

describe('FrameRouter: each frame is parsed by the library objects it is meant for', () => {
  it('scan mode routes data frames by device type and stick-wide frames to every view', async () => {
    const d = driver();
    const router = new FrameRouter(d, byDeviceType);
    const got = { hr: 0, power: 0 };
    router.view(0x78).on('read', () => got.hr++);
    router.view(0x0b).on('read', () => got.power++);
    await d.read(fromHex(HR_EXT));
    expect(got).toEqual({ hr: 1, power: 0 });
    await d.read(fromHex('A4 03 40 00 42 00 A5'));
    expect(got).toEqual({ hr: 2, power: 1 });
  });

  it('paired mode routes by channel; views share the driver channel count', async () => {
    const d = driver();
    const router = new FrameRouter(d, byChannel);
    const seen: number[] = [];
    router.view(0).on('read', () => seen.push(0));
    router.view(1).on('read', () => seen.push(1));
    await d.read(fromHex(HR_EXT));
    await d.read(fromHex(EVENT_CH1.replace('01 02 E5', '01 09 EE')));
    expect(seen).toEqual([0, 1]);
    router.view(1).usedChannels = 3;
    expect(d.usedChannels).toBe(3);
    router.dispose();
    await d.read(fromHex(HR_EXT));
    expect(seen).toEqual([0, 1]);
  });
});
