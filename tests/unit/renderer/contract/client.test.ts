/**
 * The UI's HostClient over a scripted socket (web mode) and over a fake preload bridge: replies and
 * events are validated, a closed link fails calls instead of hanging, and it reconnects.
 * Regression (issue 12): a socket that closed before it opened left every call waiting forever on a
 * promise nobody resolved.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HostClient, type ContractSocket, type PreloadBridge } from '../../../../src/renderer/contract/client';

type Handler = (event: { data?: unknown }) => void;

/** A socket the test drives: it opens, closes and receives messages when told. */
class ScriptedSocket implements ContractSocket {
  readyState = 0; // CONNECTING
  readonly sent: { kind: string; id: number; name: string; args: unknown }[] = [];
  private readonly handlers = new Map<string, Handler[]>();
  addEventListener(type: 'open' | 'close' | 'message', fn: Handler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), fn]);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as ScriptedSocket['sent'][number]);
  }
  close(): void {
    this.fire('close');
  }
  fire(type: 'open' | 'close' | 'message', data?: unknown): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const fn of this.handlers.get(type) ?? []) fn({ data });
  }
  reply(id: number, reply: unknown): void {
    this.fire('message', JSON.stringify({ kind: 'reply', id, reply }));
  }
}

function webClient(reconnectMs = 1000): { client: HostClient; sockets: ScriptedSocket[] } {
  const sockets: ScriptedSocket[] = [];
  const client = new HostClient(null, 'ws://127.0.0.1:1/contract', {
    reconnectMs,
    createSocket: () => {
      const s = new ScriptedSocket();
      sockets.push(s);
      return s;
    },
  });
  return { client, sockets };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('HostClient over the web-mode socket', () => {
  it('sends a call once open and resolves with the validated reply', async () => {
    const { client, sockets } = webClient();
    const reply = client.call('samples.ingest', { samples: [] });
    sockets[0]!.fire('open');
    await vi.waitFor(() => expect(sockets[0]!.sent).toHaveLength(1));
    const sent = sockets[0]!.sent[0]!;
    expect(sent).toMatchObject({ kind: 'call', name: 'samples.ingest', args: { samples: [] } });
    sockets[0]!.reply(sent.id, { ok: true, value: { accepted: 0 } });
    expect(await reply).toEqual({ ok: true, value: { accepted: 0 } });
    expect(client.linkState).toBe('open');
    client.close();
  });

  it('a socket that closes before it opens fails the pending call instead of hanging (issue 12)', async () => {
    vi.useFakeTimers();
    const { client, sockets } = webClient();
    const reply = client.call('samples.ingest', { samples: [] });
    sockets[0]!.fire('close');
    expect(await reply).toMatchObject({ ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'not connected to the host' });
    expect(client.linkState).toBe('closed');
    // it reconnects after the delay, and calls work again on the new socket
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    const again = client.call('samples.ingest', { samples: [] });
    sockets[1]!.fire('open');
    await vi.advanceTimersByTimeAsync(0);
    sockets[1]!.reply(sockets[1]!.sent[0]!.id, { ok: true, value: { accepted: 0 } });
    expect(await again).toEqual({ ok: true, value: { accepted: 0 } });
    client.close();
  });

  it('a socket that closes with calls in flight fails them with a sentence', async () => {
    const { client, sockets } = webClient();
    sockets[0]!.fire('open');
    const reply = client.call('samples.ingest', { samples: [] });
    await vi.waitFor(() => expect(sockets[0]!.sent).toHaveLength(1));
    sockets[0]!.fire('close');
    expect(await reply).toEqual({ ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'connection to the host closed' });
    client.close();
  });

  it('close() stops reconnecting, and later calls fail at once', async () => {
    vi.useFakeTimers();
    const { client, sockets } = webClient();
    sockets[0]!.fire('open');
    client.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets).toHaveLength(1);
    expect(await client.call('samples.ingest', { samples: [] })).toMatchObject({ ok: false, message: 'not connected to the host' });
  });

  it('refuses a reply that does not match the command’s result schema', async () => {
    const { client, sockets } = webClient();
    sockets[0]!.fire('open');
    const reply = client.call('samples.ingest', { samples: [] });
    await vi.waitFor(() => expect(sockets[0]!.sent).toHaveLength(1));
    sockets[0]!.reply(sockets[0]!.sent[0]!.id, { ok: true, value: { accepted: 'all' } });
    expect(await reply).toMatchObject({ ok: false, code: 'CONTRACT_BAD_MESSAGE' });
    client.close();
  });

  it('delivers valid events to listeners and counts invalid messages without delivering them', () => {
    const { client, sockets } = webClient();
    sockets[0]!.fire('open');
    const got: unknown[] = [];
    const off = client.on('samples', (p) => got.push(p));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    sockets[0]!.fire('message', JSON.stringify({ kind: 'event', name: 'samples', payload: { samples: [] } }));
    sockets[0]!.fire('message', JSON.stringify({ kind: 'event', name: 'samples', payload: { samples: 'no' } }));
    sockets[0]!.fire('message', JSON.stringify({ kind: 'event', name: 'no.such.event', payload: {} }));
    sockets[0]!.fire('message', 'not json');
    warn.mockRestore();
    expect(got).toEqual([{ samples: [] }]);
    expect(client.invalidMessages).toBe(3);
    off();
    sockets[0]!.fire('message', JSON.stringify({ kind: 'event', name: 'samples', payload: { samples: [] } }));
    expect(got).toHaveLength(1);
    client.close();
  });
});

describe('HostClient over the preload bridge', () => {
  it('is open at once, invokes through the bridge and turns a thrown error into a failed reply', async () => {
    const invoke = vi.fn<PreloadBridge['invoke']>().mockResolvedValueOnce({ ok: true, value: { accepted: 2 } }).mockRejectedValueOnce(new Error('IPC failed'));
    const bridge: PreloadBridge = { invoke, onEvent: () => () => undefined };
    const client = new HostClient(bridge, null);
    expect(client.linkState).toBe('open');
    expect(await client.call('samples.ingest', { samples: [] })).toEqual({ ok: true, value: { accepted: 2 } });
    expect(invoke).toHaveBeenCalledWith('samples.ingest', { samples: [] });
    expect(await client.call('samples.ingest', { samples: [] })).toEqual({ ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'IPC failed' });
  });
});
