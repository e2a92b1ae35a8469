/**
 * Role-aware rules: what a broker does with each client frame in each session state
 * (docs/broker-protocol.md §5.5, §5.3, §6.1, §7, §9), and which broker frames a producer or
 * consumer uses (§4, P11, C05). The §5.5 table is data; {@link decideClientFrame} applies it.
 */
import type { AppError } from '../errors';
import { CLOSE } from './closeCodes';
import {
  decodePayload,
  isJsonObject,
  parseEnvelope,
  replayRange,
  type Frame,
  type ReplayFrame,
  type StatusFrame,
  type SubmitFrame,
} from './frames';
import { isOp, type Op } from './opcodes';

/** State of a broker session: before a successful IDENTIFY, or READY as producer / consumer. */
export type SessionState = 'unidentified' | 'producer' | 'consumer';

/** What the §5.5 table says to do with an opcode. */
export type Rule =
  | 'ack'
  | 'identify'
  | 'accept'
  | 'drop'
  | { readonly close: number };

const C4003 = { close: CLOSE.ALREADY_IDENTIFIED } as const;
const C4004 = { close: CLOSE.INVALID_OPCODE } as const;

/** The §5.5 table: session state → opcode → rule. Opcodes not listed (1, 2, 4, 5, unknown) → 4004. */
export const BROKER_RULES: { readonly [S in SessionState]: Partial<Readonly<Record<Op, Rule>>> } = {
  unidentified: { 0: 'ack', 3: 'identify', 6: 'drop', 7: C4004, 8: 'drop' },
  producer: { 0: 'ack', 3: C4003, 6: 'accept', 7: C4004, 8: 'accept' },
  consumer: { 0: 'ack', 3: C4003, 6: C4004, 7: 'accept', 8: 'drop' },
};

/** The rule for `op` in `state`. */
export function brokerRule(state: SessionState, op: number): Rule {
  return (isOp(op) ? BROKER_RULES[state][op] : undefined) ?? C4004;
}

/** The broker's decision about one client text frame. */
export type ClientDecision =
  | { readonly kind: 'ack' }
  /** IDENTIFY with an object `d`: `token`/`type` are null when missing or of the wrong type (→ 4001). */
  | { readonly kind: 'identify'; readonly token: string | null; readonly type: 0 | 1 | null }
  | { readonly kind: 'submit'; readonly frame: SubmitFrame }
  | { readonly kind: 'replay'; readonly frame: ReplayFrame; readonly after: number; readonly before: number }
  | { readonly kind: 'status'; readonly frame: StatusFrame }
  /** Drop silently (count it): early SUBMIT, STATUS outside a producer session, malformed STATUS. */
  | { readonly kind: 'drop'; readonly why: 'early-submit' | 'status-not-producer' | 'bad-status' }
  | { readonly kind: 'close'; readonly code: number; readonly error: AppError };

function close(code: number, error: AppError): ClientDecision {
  return { kind: 'close', code, error };
}

/** Apply the protocol rules to one client text frame received in `state`. */
export function decideClientFrame(text: string, state: SessionState): ClientDecision {
  const env = parseEnvelope(text);
  if (!env.ok) return close(CLOSE.MALFORMED, env);
  const { op, obj } = env.value;
  const rule = brokerRule(state, op);
  if (typeof rule === 'object') {
    return close(rule.close, { code: 'BROKER_BAD_FRAME', message: `opcode ${op} not allowed in state ${state}` });
  }
  switch (rule) {
    case 'ack':
      return { kind: 'ack' };
    case 'drop':
      return { kind: 'drop', why: op === 6 ? 'early-submit' : 'status-not-producer' };
    case 'identify': {
      const d = obj.d;
      if (!isJsonObject(d)) return close(CLOSE.MALFORMED, { code: 'BROKER_BAD_PAYLOAD', message: 'IDENTIFY without object d' });
      const token = typeof d.token === 'string' ? d.token : null;
      const type = d.type === 0 || d.type === 1 ? d.type : null;
      return { kind: 'identify', token, type };
    }
    case 'accept': {
      const frame = decodePayload(env.value);
      if (op === 8) return frame.ok ? { kind: 'status', frame: frame.value as StatusFrame } : { kind: 'drop', why: 'bad-status' };
      if (!frame.ok) return close(CLOSE.MALFORMED, frame);
      if (op === 6) return { kind: 'submit', frame: frame.value as SubmitFrame };
      const replay = frame.value as ReplayFrame;
      return { kind: 'replay', frame: replay, ...replayRange(replay) };
    }
  }
}

/** Broker frames each client role acts on; anything else is ignored without closing (P11, C05). */
export const CLIENT_ACCEPTS: { readonly [R in 'producer' | 'consumer']: readonly Op[] } = {
  producer: [1, 2, 4],
  consumer: [1, 2, 4, 5],
};

/** A broker frame a client acts on. */
export type BrokerFrameForClient = Frame & { op: 1 | 2 | 4 | 5 };

/** A client's decision about one broker text frame: use it, or ignore it with the reason (for a log counter). */
export type ServerDecision =
  | { readonly kind: 'frame'; readonly frame: BrokerFrameForClient }
  | { readonly kind: 'ignore'; readonly error: AppError };

/** Decode a broker frame for a producer or consumer; a consumer also accepts the legacy `payload` alias of DISPATCH `d` (§4 note). */
export function decideServerFrame(text: string, role: 'producer' | 'consumer'): ServerDecision {
  const env = parseEnvelope(text);
  if (!env.ok) return { kind: 'ignore', error: env };
  let envelope = env.value;
  if (!CLIENT_ACCEPTS[role].includes(envelope.op as Op)) {
    return { kind: 'ignore', error: { code: 'BROKER_UNKNOWN_OP', message: `unexpected opcode ${envelope.op} for a ${role}` } };
  }
  if (envelope.op === 5 && envelope.obj.d === undefined && isJsonObject(envelope.obj.payload)) {
    envelope = { op: 5, obj: { ...envelope.obj, d: envelope.obj.payload } };
  }
  const frame = decodePayload(envelope);
  return frame.ok ? { kind: 'frame', frame: frame.value as BrokerFrameForClient } : { kind: 'ignore', error: frame };
}

