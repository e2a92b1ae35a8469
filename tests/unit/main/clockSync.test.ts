/** The host measures each UI's clock offset over the contract. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClockSync } from '../../../src/main/clockSync';
import { createHost } from '../../../src/main/host';
import { waitFor } from '../../support/wait';

describe('ClockSync', () => {
  it('computes offset and round trip from one exchange', () => {
    let t = 10_000;
    const sync = new ClockSync(() => t);
    const { pingId } = sync.ping('ui-1');
    t += 40; // 20 ms each way
    // the UI clock runs 1500 ms ahead: it read host 10_020 + 1500
    const offset = sync.pong('ui-1', pingId, 11_520);
    expect(offset).toMatchObject({ clientId: 'ui-1', offsetMs: 1500, rttMs: 40 });
  });

  it('ignores pongs for unknown pings or from another UI', () => {
    const sync = new ClockSync(() => 0);
    const { pingId } = sync.ping('ui-1');
    expect(sync.pong('ui-2', pingId, 5)).toBeNull();
    expect(sync.pong('ui-1', 999, 5)).toBeNull();
  });

  it('pings a UI as soon as it connects, and records its answer', async () => {
    const host = createHost({ mode: 'web', dataDir: mkdtempSync(join(tmpdir(), 'sr-clock-')) });
    const beforeMs = Date.now();
    const sent: { kind: string; name?: string; payload?: { pingId: number } }[] = [];
    const conn = host.connect((m) => sent.push(m as (typeof sent)[number]));
    await waitFor(() => sent.some((m) => m.name === 'clockPing'), 'the connect-time clock ping');
    const ping = sent.find((m) => m.name === 'clockPing');
    expect(ping).toBeDefined();
    await conn.receive({ kind: 'call', id: 1, name: 'clock.pong', args: { pingId: ping!.payload!.pingId, clientMs: Date.now() + 250 } });
    const afterMs = Date.now();
    const [offset] = host.clock.offsets();
    expect(offset!.clientId).toBe(conn.id);
    // The UI's clock runs 250 ms ahead; the estimate is off by at most half the round trip, which
    // this exchange bounds (however slow a loaded machine made it), plus 5 ms between clock sources.
    expect(Math.abs(offset!.offsetMs - 250)).toBeLessThanOrEqual((afterMs - beforeMs) / 2 + 5);
  });
});
