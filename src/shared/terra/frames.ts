/**
 * Terra streaming frames (docs/broker-protocol.md §3, §4, §6, §7, §9).
 * Every frame is a JSON text message with an integer `op`; `d` is the opcode's payload. Decoding is two
 * steps so callers can tell the failure classes apart: {@link parseEnvelope} (JSON object with an
 * integer `op`, else BROKER_BAD_FRAME) and {@link decodePayload} (the opcode's schema, else
 * BROKER_UNKNOWN_OP / BROKER_BAD_PAYLOAD). Unknown keys are ignored; SUBMIT/DISPATCH `d` is opaque and
 * kept as the very same parsed object, never copied or filtered.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../errors';
import { OP, OP_NAMES, isOp, type Op } from './opcodes';

/** A sample payload: opaque JSON object (by convention `{ts, val}` or `{ts, d:[...]}`). */
export type Payload = Record<string, unknown>;

/** HEARTBEAT `{"op":0}`. */
export interface HeartbeatFrame { readonly op: 0 }
/** HEARTBEAT_ACK `{"op":1}`. */
export interface HeartbeatAckFrame { readonly op: 1 }
/** HELLO `{"op":2,"d":{"heartbeat_interval":N}}`, N in milliseconds. */
export interface HelloFrame { readonly op: 2; readonly d: { readonly heartbeat_interval: number } }
/** IDENTIFY `{"op":3,"d":{"token":T,"type":0|1}}`. */
export interface IdentifyFrame { readonly op: 3; readonly d: { readonly token: string; readonly type: 0 | 1 } }
/** READY `{"op":4}` (no `d`). */
export interface ReadyFrame { readonly op: 4 }
/** DISPATCH: a SUBMIT's `t`/`d` with the broker's `uid` and `seq`. */
export interface DispatchFrame {
  readonly op: 5;
  readonly d: Payload;
  readonly uid: string;
  readonly seq: number;
  readonly t: string;
  readonly synthetic?: boolean;
}
/** SUBMIT: one reading from a producer. */
export interface SubmitFrame { readonly op: 6; readonly d: Payload; readonly t: string }
/** REPLAY: exclusive range `after < seq < before`; missing `before` matches nothing, missing `after` is 0. */
export interface ReplayFrame { readonly op: 7; readonly d: { readonly after?: number; readonly before?: number } }
/** STATUS: the producer's device-link presence. */
export interface StatusFrame {
  readonly op: 8;
  readonly d: {
    readonly connected: boolean;
    readonly device_id?: string;
    readonly source?: string;
    readonly reason?: string;
  };
}

/** Any frame of the protocol. */
export type Frame =
  | HeartbeatFrame
  | HeartbeatAckFrame
  | HelloFrame
  | IdentifyFrame
  | ReadyFrame
  | DispatchFrame
  | SubmitFrame
  | ReplayFrame
  | StatusFrame;

/** The frame type of one opcode. */
export type FrameOf<O extends Op> = Extract<Frame, { op: O }>;

/** A parsed JSON object with an integer `op` (not yet checked against the opcode's schema). */
export interface Envelope {
  readonly op: number;
  readonly obj: Readonly<Record<string, unknown>>;
}

/** Whether `v` is a plain JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Non-negative integer usable as a seq or REPLAY bound (no fraction, within 2^53). */
const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Opaque payload: checked to be an object, kept by reference. */
const payloadSchema = z.custom<Payload>(isJsonObject, { message: 'd must be a JSON object' });

const bare = <O extends Op>(op: O) => z.object({ op: z.literal(op) });

/** Opcode → schema of the whole frame (unknown keys are stripped, payloads kept by reference). */
const FRAME_SCHEMAS: { readonly [O in Op]: z.ZodType<FrameOf<O>> } = {
  0: bare(OP.HEARTBEAT),
  1: bare(OP.HEARTBEAT_ACK),
  2: z.object({ op: z.literal(OP.HELLO), d: z.object({ heartbeat_interval: z.number().int().positive() }) }),
  3: z.object({
    op: z.literal(OP.IDENTIFY),
    d: z.object({ token: z.string(), type: z.union([z.literal(0), z.literal(1)]) }),
  }),
  4: bare(OP.READY),
  5: z.object({
    op: z.literal(OP.DISPATCH),
    d: payloadSchema,
    uid: z.string(),
    seq: seqSchema,
    t: z.string(),
    synthetic: z.boolean().optional(),
  }),
  6: z.object({ op: z.literal(OP.SUBMIT), d: payloadSchema, t: z.string() }),
  7: z.object({
    op: z.literal(OP.REPLAY),
    d: z.object({ after: seqSchema.optional(), before: seqSchema.optional() }),
  }),
  8: z.object({
    op: z.literal(OP.STATUS),
    d: z.object({
      connected: z.boolean(),
      device_id: z.string().optional(),
      source: z.string().optional(),
      reason: z.string().optional(),
    }),
  }),
};

/** Key order each opcode is written in (§4's exact frames). */
const KEY_ORDER: { readonly [O in Op]: readonly string[] } = {
  0: ['op'],
  1: ['op'],
  2: ['op', 'd'],
  3: ['op', 'd'],
  4: ['op'],
  5: ['op', 'd', 'uid', 'seq', 't', 'synthetic'],
  6: ['op', 'd', 't'],
  7: ['op', 'd'],
  8: ['op', 'd'],
};

/** Parse a text frame into an envelope: a JSON object whose `op` is an integer (§3). */
export function parseEnvelope(text: string): Result<Envelope> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail('BROKER_BAD_FRAME', `frame is not valid JSON (${(err as Error).message})`);
  }
  if (!isJsonObject(value)) return fail('BROKER_BAD_FRAME', 'frame is not a JSON object');
  const op = value.op;
  if (typeof op !== 'number' || !Number.isInteger(op)) {
    return fail('BROKER_BAD_FRAME', 'frame has no integer "op"');
  }
  return ok({ op, obj: value });
}

/** Check an envelope against its opcode's schema. */
export function decodePayload(env: Envelope): Result<Frame> {
  if (!isOp(env.op)) return fail('BROKER_UNKNOWN_OP', `unknown opcode ${env.op}`);
  const parsed = FRAME_SCHEMAS[env.op].safeParse(env.obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'frame';
    return fail('BROKER_BAD_PAYLOAD', `${OP_NAMES[env.op]} frame: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return ok(parsed.data);
}

/** Decode one text frame into a typed frame (envelope, then the opcode's schema). */
export function decodeFrame(text: string): Result<Frame> {
  const env = parseEnvelope(text);
  return env.ok ? decodePayload(env.value) : env;
}

/** Encode a frame as the JSON text sent on the wire, keys in §4 order, absent optionals omitted. */
export function encodeFrame(frame: Frame): string {
  const src = frame as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER[frame.op]) {
    if (src[key] !== undefined) out[key] = src[key];
  }
  return JSON.stringify(out);
}

/** Effective REPLAY bounds: `after` defaults to 0, a missing `before` matches nothing (bound 0) (§7). */
export function replayRange(frame: ReplayFrame): { readonly after: number; readonly before: number } {
  return { after: frame.d.after ?? 0, before: frame.d.before ?? 0 };
}

/** HEARTBEAT frame. */
export function heartbeat(): HeartbeatFrame {
  return { op: OP.HEARTBEAT };
}
/** HEARTBEAT_ACK frame. */
export function heartbeatAck(): HeartbeatAckFrame {
  return { op: OP.HEARTBEAT_ACK };
}
/** HELLO frame with the heartbeat interval in milliseconds. */
export function hello(heartbeatIntervalMs: number): HelloFrame {
  return { op: OP.HELLO, d: { heartbeat_interval: heartbeatIntervalMs } };
}
/** IDENTIFY frame; `type` 0 = producer, 1 = consumer. */
export function identify(token: string, type: 0 | 1): IdentifyFrame {
  return { op: OP.IDENTIFY, d: { token, type } };
}
/** READY frame. */
export function ready(): ReadyFrame {
  return { op: OP.READY };
}
/** SUBMIT frame for one reading. */
export function submit(t: string, d: Payload): SubmitFrame {
  return { op: OP.SUBMIT, d, t };
}
/** DISPATCH frame. */
export function dispatch(t: string, d: Payload, uid: string, seq: number): DispatchFrame {
  return { op: OP.DISPATCH, d, uid, seq, t };
}
/** REPLAY frame for `after < seq < before`. */
export function replay(after: number | undefined, before: number): ReplayFrame {
  return { op: OP.REPLAY, d: after === undefined ? { before } : { after, before } };
}
/** STATUS frame. */
export function status(d: StatusFrame['d']): StatusFrame {
  return { op: OP.STATUS, d };
}
