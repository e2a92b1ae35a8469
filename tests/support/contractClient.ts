/**
 * The tests' contract client: calls host commands and collects host events over the web-mode
 * WebSocket (`/contract`), typed on the shared contract maps, the way the UI's HostClient does.
 * Replies are resolved, never rejected; a closed socket resolves pending calls to a failure.
 */
import WebSocket from 'ws';
import {
  hostMessageSchema,
  type CommandInput,
  type CommandName,
  type CommandResult,
  type EventName,
  type EventPayload,
  type Reply,
} from '../../src/shared/contract';

/** One event as received. */
export interface ReceivedEvent {
  readonly name: string;
  readonly payload: unknown;
}

/** A connected contract client. */
export interface ContractClient {
  /** Call a command; resolves with the host's reply. */
  call<K extends CommandName>(name: K, args: CommandInput<K>): Promise<Reply<CommandResult<K>>>;
  /** Every event received so far, in order. */
  readonly events: ReceivedEvent[];
  /** Payloads of one event, in order. */
  eventsOf<K extends EventName>(name: K): EventPayload<K>[];
  /** Close the socket (pending calls resolve to a failure). */
  close(): void;
}

/** Open a contract client on `ws://127.0.0.1:<port>/contract` with the page's own Origin. */
export async function connectContract(port: number, options: { token?: string } = {}): Promise<ContractClient> {
  const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
  const ws = new WebSocket(`ws://127.0.0.1:${port}/contract${query}`, { headers: { Origin: `http://127.0.0.1:${port}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (reply: Reply) => void>();
  const events: ReceivedEvent[] = [];
  ws.on('message', (data) => {
    const parsed = hostMessageSchema.safeParse(JSON.parse(String(data)));
    if (!parsed.success) throw new Error(`the host sent a message outside the contract: ${String(data).slice(0, 200)}`);
    const msg = parsed.data;
    if (msg.kind === 'reply') {
      pending.get(msg.id)?.(msg.reply as Reply);
      pending.delete(msg.id);
    } else events.push({ name: msg.name, payload: msg.payload });
  });
  ws.on('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'connection to the host closed' });
    pending.clear();
  });
  return {
    events,
    eventsOf: <K extends EventName>(name: K) => events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<K>),
    call<K extends CommandName>(name: K, args: CommandInput<K>): Promise<Reply<CommandResult<K>>> {
      if (ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, code: 'CONTRACT_HANDLER_FAILED', message: 'not connected to the host' });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (reply: Reply) => void);
        ws.send(JSON.stringify({ kind: 'call', id, name, args }));
      });
    },
    close: () => ws.close(),
  };
}
