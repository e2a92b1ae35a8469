/**
 * Child process for the zero-loss test: the real host (`createHost`, headless) simulating a
 * scenario, with the uplink manager on its hub sending to a broker via developer credentials. Each
 * simulated device goes to its own Terra user, so `uid` identifies the device. Every reading is
 * logged to `<dataDir>/produced.jsonl` right after it has been appended to the outbox.
 *
 *   tsx producerProcess.ts <dataDir> <brokerUrl> <devId> <apiKey> [scenario]
 *
 * Prints `ready` once streaming. On SIGTERM: stop the simulator, wait until every outbox is
 * delivered (at most 20 s), print `drained`, exit.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHost } from '../../../src/main/host';
import { loadScenario } from '../../../src/main/sim/scenarioFiles';
import { UplinkManager } from '../../../src/main/uplink/manager';
import { sampleToSubmit } from '../../../src/main/uplink/submitFrames';
import type { Sample } from '../../../src/shared/sample';

async function main(): Promise<void> {
  const [dataDir, url, devId, apiKey, scenarioName = 'steady3'] = process.argv.slice(2);
  if (!dataDir || !url || !devId || !apiKey) throw new Error('usage: producerProcess <dataDir> <url> <devId> <apiKey> [scenario]');
  const scenario = loadScenario(scenarioName);
  if (!scenario.ok) throw new Error(scenario.message);
  const host = createHost({ mode: 'headless', dataDir, scenario: scenario.value, isAntUsbEnabled: false });
  const userOf = (deviceId: string): string => `user-${deviceId.replace(/[^A-Za-z0-9]/g, '-')}`;
  const manager = new UplinkManager({
    dataDir,
    target: { url, tokenSource: { kind: 'developer', devId, apiKey } },
    defaultUserId: 'default-user',
    route: (s: Sample) => userOf(s.deviceId),
    userOfDevice: userOf,
    staggerMs: 20,
    outbox: { syncPolicy: 'never' },
    uplink: { backoffBaseMs: 200, backoffCapMs: 1000 },
    log: (line) => console.error(line),
  });
  const producedLog = join(dataDir, 'produced.jsonl');
  host.hub.subscribe((batch) => {
    manager.onSamples(batch);
    let lines = '';
    for (const s of batch) {
      const frame = sampleToSubmit(s);
      if (frame) lines += `${JSON.stringify({ uid: userOf(s.deviceId), frame })}\n`;
    }
    if (lines) appendFileSync(producedLog, lines);
  });
  host.devices.onLinkEvent((e) => manager.onLink(e));
  manager.start();
  await host.start();
  console.log('ready');
  process.once('SIGTERM', () => {
    host.sim.stop();
    const started = Date.now();
    const poll = setInterval(() => {
      const pending = manager.statuses().reduce((n, s) => n + s.outbox.queued + s.outbox.inFlight, 0);
      if (pending > 0 && Date.now() - started < 20_000) return;
      clearInterval(poll);
      console.log(pending === 0 ? 'drained' : `not drained: ${pending}`);
      void manager.stop().then(() => host.stop()).then(() => process.exit(0));
    }, 50);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
