/**
 * WebSocket close codes of the Terra streaming protocol and what each side does about them
 * (docs/broker-protocol.md §8). Policy is data, not code.
 */

/** What a client does after a close: mint a fresh token and reconnect, give up and report, or reconnect after a backoff. */
export type ClosePolicy = 'refresh-token' | 'stop' | 'backoff';

/** One row of the close-code table. */
export interface CloseCodeInfo {
  readonly code: number;
  readonly meaning: string;
  /** Short ASCII reason the local broker sends with this code. */
  readonly reason: string;
  readonly producer: ClosePolicy;
  readonly consumer: ClosePolicy;
  /** Whether the local broker itself ever closes with this code. */
  readonly isBrokerCode: boolean;
}

function row(
  code: number,
  meaning: string,
  reason: string,
  producer: ClosePolicy,
  consumer: ClosePolicy,
  isBrokerCode: boolean,
): CloseCodeInfo {
  return { code, meaning, reason, producer, consumer, isBrokerCode };
}

/** The close-code table of §8 (1009 added: the local broker's oversize-frame close, §3). */
export const CLOSE_CODES: readonly CloseCodeInfo[] = [
  row(1000, 'normal closure', 'normal closure', 'backoff', 'backoff', true),
  row(1001, 'going away (server restart)', 'going away', 'backoff', 'backoff', false),
  row(1003, 'malformed frame: unparseable JSON or invalid payload', 'malformed frame', 'stop', 'stop', true),
  row(1006, 'abnormal close without a close frame (network)', 'abnormal close', 'backoff', 'backoff', false),
  // Not in §8: a frame over 64 KiB is a client bug, like 1003; re-sending it would loop.
  row(1009, 'frame too big (over 64 KiB)', 'frame too big', 'stop', 'stop', true),
  row(1011, 'internal error (e.g. SUBMIT failed to enqueue)', 'internal error', 'backoff', 'backoff', true),
  row(4000, 'no IDENTIFY within the identify timeout', 'identify timeout', 'stop', 'stop', true),
  row(4001, 'token invalid, expired or already redeemed', 'invalid token', 'refresh-token', 'refresh-token', true),
  row(4002, 'consumer session limit reached', 'session limit', 'stop', 'stop', true),
  row(4003, 'second IDENTIFY on an identified session', 'already identified', 'stop', 'stop', true),
  row(4004, 'unknown opcode, or opcode not valid for the session role', 'invalid opcode', 'stop', 'stop', true),
  row(4005, 'heartbeat deadline exceeded', 'heartbeat timeout', 'backoff', 'backoff', true),
];

/** Close codes by number. */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  MALFORMED: 1003,
  ABNORMAL: 1006,
  TOO_BIG: 1009,
  INTERNAL: 1011,
  IDENTIFY_TIMEOUT: 4000,
  INVALID_TOKEN: 4001,
  SESSION_LIMIT: 4002,
  ALREADY_IDENTIFIED: 4003,
  INVALID_OPCODE: 4004,
  HEARTBEAT_TIMEOUT: 4005,
} as const;

const BY_CODE: ReadonlyMap<number, CloseCodeInfo> = new Map(CLOSE_CODES.map((r) => [r.code, r]));

/** The table row of a close code, or undefined for a code the protocol does not define. */
export function closeCodeInfo(code: number): CloseCodeInfo | undefined {
  return BY_CODE.get(code);
}

/** What a producer or consumer does after a close with `code`; codes outside the table back off. */
export function closePolicy(code: number, role: 'producer' | 'consumer'): ClosePolicy {
  const info = BY_CODE.get(code);
  return info ? info[role] : 'backoff';
}

/** Human-readable text for a close, e.g. `4001 token invalid, expired or already redeemed`. */
export function describeClose(code: number, reason?: string): string {
  const info = BY_CODE.get(code);
  const meaning = info ? info.meaning : 'unknown close code';
  return reason ? `${code} ${meaning} (${reason})` : `${code} ${meaning}`;
}

/** Codes a conforming broker may close with (docs/broker-protocol.md §8). */
export const BROKER_CLOSE_CODES: readonly number[] = CLOSE_CODES.filter((r) => r.isBrokerCode).map((r) => r.code);
