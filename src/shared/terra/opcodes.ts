/**
 * Opcodes of the Terra streaming protocol (docs/broker-protocol.md §4).
 */

/** Opcode numbers by name. */
export const OP = {
  HEARTBEAT: 0,
  HEARTBEAT_ACK: 1,
  HELLO: 2,
  IDENTIFY: 3,
  READY: 4,
  DISPATCH: 5,
  SUBMIT: 6,
  REPLAY: 7,
  STATUS: 8,
} as const;

/** Name of an opcode. */
export type OpName = keyof typeof OP;
/** One of the nine opcodes. */
export type Op = (typeof OP)[OpName];

/** Opcode → name, for logs and messages. */
export const OP_NAMES: Readonly<Record<Op, OpName>> = {
  0: 'HEARTBEAT',
  1: 'HEARTBEAT_ACK',
  2: 'HELLO',
  3: 'IDENTIFY',
  4: 'READY',
  5: 'DISPATCH',
  6: 'SUBMIT',
  7: 'REPLAY',
  8: 'STATUS',
};

/** Whether `n` is one of the protocol's opcodes. */
export function isOp(n: number): n is Op {
  return Number.isInteger(n) && n >= 0 && n <= 8;
}

/** Session type carried in IDENTIFY `d.type`: 0 producer (user token), 1 consumer (developer token). */
export const IDENTIFY_TYPE = { producer: 0, consumer: 1 } as const;

/** Largest frame the local broker accepts, in bytes (§3: larger → close 1009). */
export const MAX_FRAME_BYTES = 64 * 1024;
