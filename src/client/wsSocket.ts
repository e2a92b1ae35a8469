/**
 * The Node side of the Terra client core (src/shared/terra/client/terraClient.ts): a `ws` WebSocket
 * as the core's {@link ClientSocket}, and the system clock. Nothing here decides anything; the core
 * does (docs/broker-protocol.md §5a).
 */
import { WebSocket, type ClientOptions, type RawData } from 'ws';
import type { ClientClock, ClientSocket, OpenSocket, SocketEvents } from '../shared/terra/client/terraClient';

/** A `ws` socket wrapped for the core; `raw` is for roles that write many frames at once (corked pumps). */
export interface WsClientSocket extends ClientSocket {
  readonly raw: WebSocket;
}

/** Text of a `ws` message whatever its buffer shape. */
export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * An opener of `ws` client sockets with these `ws` options (each role keeps its own, e.g. the
 * producer's payload cap). `ws`'s own UTF-8 pass over every message is skipped, as the broker does
 * for what it receives: {@link rawText} decodes with replacement characters and every frame is then
 * parsed as JSON and checked against its schema (src/shared/terra/frames.ts), which rejects and
 * counts what is not a valid frame; the second pass cost a few percent of the forwarding path.
 */
export function wsOpener(options: ClientOptions = {}): OpenSocket<WsClientSocket> {
  return (url: string, events: SocketEvents): WsClientSocket => {
    const ws = new WebSocket(url, { skipUTF8Validation: true, ...options });
    ws.on('message', (data: RawData, isBinary: boolean) => (isBinary ? events.onBinary() : events.onText(rawText(data))));
    ws.on('close', (code: number, reason: Buffer) => events.onClose(code, reason.toString()));
    ws.on('error', (err: Error) => events.onError(`connection to ${url} failed: ${err.message}`));
    return {
      raw: ws,
      send: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      close: (code, reason) => {
        if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
        else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      },
      terminate: () => ws.terminate(),
    };
  };
}

/** The system clock: `Date.now` and Node timers. */
export const systemClock: ClientClock = {
  nowMs: () => Date.now(),
  setTimer: (delayMs, fn) => setTimeout(fn, delayMs),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
