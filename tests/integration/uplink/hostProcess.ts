/**
 * Child process for the zero-loss test: the real headless host (`createHost`) simulating a scenario,
 * with its own broker uplinks (src/main/producer) configured through the settings and secrets files
 * the app reads at start: target = the given broker URL, token source = developer credentials.
 * Every reading the hub hands out is logged to `<dataDir>/produced.jsonl` by a subscriber registered
 * after the host's own, i.e. after the uplinks have appended it to their outbox.
 *
 *   tsx hostProcess.ts <dataDir> <brokerUrl> <devId> <apiKey> [scenario]
 *
 * Prints `ready` once streaming. On SIGTERM: stop the simulator, let the hub release its reorder
 * window (1 s), wait until every outbox is
 * delivered (at most 20 s), print `drained` (or `not drained: N`), exit.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHost } from '../../../src/main/host';
import { loadScenario } from '../../../src/main/sim/scenarioFiles';
import { METRICS } from '../../../src/shared/metrics';
import { formatTs } from '../../../src/shared/terra';

async function main(): Promise<void> {
  const [dataDir, url, devId, apiKey, scenarioName = 'steady3'] = process.argv.slice(2);
  if (!dataDir || !url || !devId || !apiKey) throw new Error('usage: hostProcess <dataDir> <url> <devId> <apiKey> [scenario]');
  const scenario = loadScenario(scenarioName);
  if (!scenario.ok) throw new Error(scenario.message);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'broker-settings.json'), JSON.stringify({ version: 1, target: { kind: 'url', url }, tokenSource: { kind: 'developer', devId }, defaultUserId: 'default-user' }));
  writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify({ 'broker.apiKey': apiKey }), { mode: 0o600 });
  const host = createHost({ mode: 'headless', dataDir, scenario: scenario.value, isAntUsbEnabled: false });
  const producedLog = join(dataDir, 'produced.jsonl');
  host.hub.subscribe((batch) => {
    let lines = '';
    for (const s of batch) {
      const terra = METRICS[s.metric].terra;
      if (terra && Number.isFinite(s.value)) lines += `${JSON.stringify({ uid: 'default-user', t: terra.label, ts: formatTs(s.tMs) })}\n`;
    }
    if (lines) appendFileSync(producedLog, lines);
  });
  await host.start();
  console.log('ready');
  process.once('SIGTERM', () => {
    host.sim.stop();
    // the hub holds the last readings for its reorder window; let them out before judging the outboxes
    const started = Date.now() + 1000;
    const poll = setInterval(() => {
      if (Date.now() < started) return;
      const pending = host.broker.state().uplinks.reduce((n, u) => n + u.outbox.queued + u.outbox.inFlight, 0);
      if (pending > 0 && Date.now() - started < 20_000) return;
      clearInterval(poll);
      console.log(pending === 0 ? 'drained' : `not drained: ${pending}`);
      void host.stop().then(() => process.exit(0));
    }, 50);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
