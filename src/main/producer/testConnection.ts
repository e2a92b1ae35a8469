/** "Test connection": mint a token and reach READY once (HELLO → IDENTIFY type 0 → READY), then close with 1000. */
import { WebSocket } from 'ws';
import { describeClose, decideServerFrame, encodeFrame, identify } from '../../shared/terra';
import type { TokenSource } from '../../shared/terra';

/** Outcome shown next to the button. */
export interface ConnectionTestResult {
  readonly isOk: boolean;
  readonly message: string;
  readonly code: string | null;
  readonly elapsedMs: number;
}

/** Run one connection attempt against `url` (gives up after `timeoutMs`). */
export async function testBrokerConnection(url: string, token: TokenSource, timeoutMs = 15_000): Promise<ConnectionTestResult> {
  const started = Date.now();
  const done = (isOk: boolean, message: string, code: string | null): ConnectionTestResult => ({ isOk, message, code, elapsedMs: Date.now() - started });
  const minted = await token();
  if (!minted.ok) return done(false, `could not get a token: ${minted.message}`, 'BROKER_TOKEN_FAILED');
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    let result: ConnectionTestResult | null = null;
    const finish = (r: ConnectionTestResult): void => {
      if (result) return;
      result = r;
      clearTimeout(timer);
      resolve(r);
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'connection test done');
      else ws.terminate();
    };
    const timer = setTimeout(() => finish(done(false, `no READY within ${timeoutMs} ms`, 'BROKER_CLOSED')), timeoutMs);
    ws.on('message', (data) => {
      const d = decideServerFrame(data.toString(), 'producer');
      if (d.kind !== 'frame') return;
      if (d.frame.op === 2) ws.send(encodeFrame(identify(minted.token, 0)));
      if (d.frame.op === 4) finish(done(true, `connected: token accepted, READY received from ${url}`, null));
    });
    ws.on('close', (code, reason) => finish(done(false, `broker closed the connection: ${describeClose(code, reason.toString())}`, 'BROKER_CLOSED')));
    ws.on('error', (err) => finish(done(false, `cannot reach ${url}: ${err.message}`, 'BROKER_CLOSED')));
  });
}
