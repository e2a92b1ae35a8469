/**
 * "Test connection": one attempt of the Terra client core (src/shared/terra/client/terraClient.ts,
 * docs/broker-protocol.md §5a) as a producer — mint a token, HELLO → IDENTIFY type 0 → READY — then
 * close with 1000. The first state after the attempt decides: READY is success; a retry or a stop
 * is the failure, with the core's error (code and sentence).
 */
import { TerraClient, type TokenSource } from '../../shared/terra';
import { systemClock, wsOpener, type WsClientSocket } from '../../client/wsSocket';

/** Outcome shown next to the button. */
export interface ConnectionTestResult {
  readonly isOk: boolean;
  readonly message: string;
  readonly code: string | null;
  readonly elapsedMs: number;
}

/** Run one connection attempt against `url` (gives up after `timeoutMs` without HELLO and READY). */
export function testBrokerConnection(url: string, token: TokenSource, timeoutMs = 15_000): Promise<ConnectionTestResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let isDone = false;
    const finish = (isOk: boolean, message: string, code: string | null): void => {
      if (isDone) return;
      isDone = true;
      client.stop('connection test done');
      resolve({ isOk, message, code, elapsedMs: Date.now() - started });
    };
    const client: TerraClient<WsClientSocket> = new TerraClient<WsClientSocket>({
      url,
      token,
      openSocket: wsOpener({ handshakeTimeout: timeoutMs }),
      clock: systemClock,
      random: Math.random,
      handshakeTimeoutMs: timeoutMs,
      role: { name: 'producer', onReady: () => finish(true, `connected: token accepted, READY received from ${url}`, null) },
      onState: (state) => {
        if (state !== 'backoff' && state !== 'stopped') return;
        // what went wrong, without the retry plan: the test makes one attempt
        const { error, lastFailure } = client.snapshot();
        finish(false, lastFailure ?? error?.message ?? 'the connection test was stopped', error?.code ?? 'BROKER_CLOSED');
      },
    });
    client.start();
  });
}
