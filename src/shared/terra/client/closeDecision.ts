/**
 * What a Terra client does after its socket closed (docs/broker-protocol.md §8 and §5a, "the client
 * state machine"): retry (at once, or after a jittered backoff) or stop. Every outcome carries an
 * error value: a stable code for logs and programs, and a sentence for the person who reads it. Pure:
 * the caller passes the time, the random draw and what it knows about its token.
 */
import { appError, type AppError, type ErrorCode } from '../../errors';
import { closePolicy, describeClose } from '../closeCodes';
import { backoffDelayMs } from '../timing';
import { isTokenExpired } from '../tokens';

/** The client role: producer (IDENTIFY type 0) or consumer (type 1). */
export type ClientRoleName = 'producer' | 'consumer';

/** Why the client itself ended the socket (null: the broker or the network did). */
export type LocalCloseCause = 'handshake-timeout' | 'heartbeat-lost' | null;

/** Everything the decision depends on. */
export interface CloseInput {
  readonly role: ClientRoleName;
  readonly code: number;
  readonly reason: string;
  readonly cause: LocalCloseCause;
  /** What the last socket error said (connection refused, DNS, TLS), if any. */
  readonly socketError: string | null;
  /** The token presented on this socket: reusable (`rt.`) and its expiry. */
  readonly token: { readonly isReusable: boolean; readonly expiresAtMs?: number } | null;
  /** A reusable token was already refused once since the last READY. */
  readonly hasRetriedReusable: boolean;
  /** Failed attempts since the last READY (0: this was the first). */
  readonly attempt: number;
  readonly nowMs: number;
  /** Uniform in [0, 1): the backoff jitter. */
  readonly random: number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
}

/**
 * The decision: reconnect after `delayMs` (0: at once), or stop for good. `error.message` says what
 * happened and what follows; `what` only what happened (for a one-shot connection test).
 */
export type CloseDecision =
  | { readonly kind: 'retry'; readonly delayMs: number; readonly error: AppError; readonly what: string; readonly isReusableRetry: boolean }
  | { readonly kind: 'stop'; readonly error: AppError; readonly what: string };

/** Closes that stop, with the stable code and what the person should do (docs/broker-protocol.md §5a table). */
const STOP_ADVICE: Readonly<Record<number, { readonly code: ErrorCode; readonly advice: string }>> = {
  1003: { code: 'BROKER_REFUSED', advice: 'the broker could not read a message from this client; check that the address is a Terra streaming broker and that the app is up to date' },
  1009: { code: 'BROKER_REFUSED', advice: 'a message from this client was larger than the broker accepts; check that the app is up to date' },
  4000: { code: 'BROKER_REFUSED', advice: 'the broker saw no IDENTIFY in time; check the network to the broker, then connect again' },
  4002: { code: 'BROKER_SESSION_LIMIT', advice: 'too many consumers for this developer; close another consumer, then start this one again' },
  4003: { code: 'BROKER_REFUSED', advice: 'the broker saw a second IDENTIFY on one connection; check that the app is up to date' },
  4004: { code: 'BROKER_REFUSED', advice: 'the broker refused a message type from this client; check that the address is a Terra streaming broker and that the app is up to date' },
};

function retry(delayMs: number, code: ErrorCode, what: string, next: string, isReusableRetry = false): CloseDecision {
  return { kind: 'retry', delayMs, error: appError(code, `${what}; ${next}`), what, isReusableRetry };
}

function stop(code: ErrorCode, what: string, message: string): CloseDecision {
  return { kind: 'stop', error: appError(code, message), what };
}

/** Decide what follows a close (docs/broker-protocol.md §5a, §8). */
export function decideAfterClose(input: CloseInput): CloseDecision {
  const text = describeClose(input.code, input.reason);
  const backoff = backoffDelayMs(input.attempt, input.random, input.backoffBaseMs, input.backoffCapMs);
  const retryIn = `reconnecting in ${formatDelay(backoff)}`;
  if (input.cause === 'handshake-timeout') {
    return retry(backoff, 'BROKER_HANDSHAKE_TIMEOUT', 'the broker accepted the connection but did not finish the handshake in time', retryIn);
  }
  if (input.cause === 'heartbeat-lost') {
    return retry(backoff, 'BROKER_HEARTBEAT_LOST', 'the broker stopped answering heartbeats, so the connection was dropped', `${retryIn} with a fresh token`);
  }
  const policy = closePolicy(input.code, input.role);
  if (policy === 'stop') {
    const advice = STOP_ADVICE[input.code] ?? { code: 'BROKER_REFUSED' as const, advice: 'fix the setup, then connect again' };
    return stop(advice.code, `the broker closed the connection (${text}): ${advice.advice}`, `the broker closed the connection (${text}) and it is not retried: ${advice.advice}`);
  }
  if (policy === 'refresh-token') {
    const token = input.token;
    if (token?.isReusable) {
      if (isTokenExpired(token.expiresAtMs, input.nowMs)) {
        const what = `the rt. token was refused (${text}): it has expired`;
        return stop('BROKER_TOKEN_EXPIRED', what, `${what}; scan a new QR code in the broker settings`);
      }
      if (input.hasRetriedReusable) {
        const what = `the rt. token was refused twice (${text})`;
        return stop('BROKER_TOKEN_FAILED', what, `${what}; scan a new QR code in the broker settings`);
      }
    }
    // the first refusal reconnects at once with a fresh token; repeated ones back off like any other failure
    const delayMs = input.attempt === 0 ? 0 : backoff;
    const next = `${delayMs === 0 ? 'reconnecting now' : retryIn} with ${token?.isReusable ? 'the same rt. token once more' : 'a fresh token'}`;
    return retry(delayMs, 'BROKER_TOKEN_FAILED', `the broker refused the token (${text})`, next, token?.isReusable === true);
  }
  return retry(backoff, 'BROKER_CLOSED', `connection closed: ${input.socketError ? `${text}; ${input.socketError}` : text}`, retryIn);
}

/** `850 ms`, `12 s`. */
function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}
