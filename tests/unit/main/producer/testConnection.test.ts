/** "Test connection" is one attempt of the client core: READY is success, the first failure is reported with its code and sentence, nothing retries. */
import { afterEach, describe, expect, it } from 'vitest';
import { testBrokerConnection } from '../../../../src/main/producer/testConnection';
import { goodScript, startFakeBroker, startScriptedBroker, type FakeBroker } from '../../../support/fakeBroker';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function track(b: Promise<FakeBroker>): Promise<FakeBroker> {
  const broker = await b;
  cleanups.push(() => broker.close());
  return broker;
}

const token = async () => ({ ok: true as const, token: 'tok' });

describe('broker connection test', () => {
  it('reports success on READY and closes the session', async () => {
    const broker = await track(startScriptedBroker(() => goodScript(10_000)));
    const r = await testBrokerConnection(broker.url, token);
    expect(r).toMatchObject({ isOk: true, code: null });
    await broker.waitFor(() => broker.conns[0]!.closed);
    expect(broker.conns).toHaveLength(1);
  });

  it('reports a refused session with the close and does not retry', async () => {
    const broker = await track(startScriptedBroker(() => goodScript(10_000, { onFrame: (c, f) => f.op === 3 && c.ws.close(4004, 'invalid opcode') })));
    const r = await testBrokerConnection(broker.url, token);
    expect(r).toMatchObject({ isOk: false, code: 'BROKER_REFUSED' });
    expect(r.message).toMatch(/^the broker closed the connection \(4004 .*\): the broker refused a message type/);
    expect(broker.conns).toHaveLength(1);
  });

  it('reports a close that the uplink would retry as what happened, without a retry plan, and makes one attempt only', async () => {
    const broker = await track(startScriptedBroker(() => goodScript(10_000, { onFrame: (c, f) => f.op === 3 && c.ws.close(1011, 'internal error') })));
    const r = await testBrokerConnection(broker.url, token);
    expect(r).toMatchObject({ isOk: false, code: 'BROKER_CLOSED', message: 'connection closed: 1011 internal error (e.g. SUBMIT failed to enqueue) (internal error)' });
    expect(broker.conns).toHaveLength(1);
  });

  it('gives up on a broker that never says HELLO after the timeout', async () => {
    const broker = await track(startFakeBroker(() => ({ hello: false })));
    const r = await testBrokerConnection(broker.url, token, 300);
    expect(r).toMatchObject({ isOk: false, code: 'BROKER_HANDSHAKE_TIMEOUT' });
    expect(broker.conns).toHaveLength(1);
  });

  it('reports a token that could not be fetched', async () => {
    const r = await testBrokerConnection('ws://127.0.0.1:1/connect', async () => ({ ok: false, message: 'token endpoint answered 403', isFatal: true }));
    expect(r).toMatchObject({ isOk: false, code: 'BROKER_TOKEN_FAILED', message: 'token endpoint answered 403' });
  });
});
