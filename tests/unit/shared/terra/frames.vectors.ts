/** Frame vectors: the exact frames of docs/broker-protocol.md §4 (and the §6/§7/§9 forms), plus invalid frames. */
import type { ErrorCode } from '../../../../src/shared/errors';
import type { Frame } from '../../../../src/shared/terra';

/** A frame that decodes, and (when `isExact`) encodes back to exactly the same text. */
export interface ValidVector {
  readonly name: string;
  readonly text: string;
  readonly frame: Frame;
  readonly isExact: boolean;
  readonly source: string;
}

/** A text that must not decode, with the error code. */
export interface InvalidVector {
  readonly name: string;
  readonly text: string;
  readonly code: ErrorCode;
  readonly source: string;
}

export const VALID_VECTORS: readonly ValidVector[] = [
  { name: 'HEARTBEAT', text: '{"op":0}', frame: { op: 0 }, isExact: true, source: '§4 table' },
  { name: 'HEARTBEAT_ACK', text: '{"op":1}', frame: { op: 1 }, isExact: true, source: '§4 table' },
  {
    name: 'HELLO',
    text: '{"op":2,"d":{"heartbeat_interval":40000}}',
    frame: { op: 2, d: { heartbeat_interval: 40000 } },
    isExact: true,
    source: '§4 table',
  },
  {
    name: 'IDENTIFY producer',
    text: '{"op":3,"d":{"token":"<token>","type":0}}',
    frame: { op: 3, d: { token: '<token>', type: 0 } },
    isExact: true,
    source: '§4 table',
  },
  {
    name: 'IDENTIFY consumer',
    text: '{"op":3,"d":{"token":"<token>","type":1}}',
    frame: { op: 3, d: { token: '<token>', type: 1 } },
    isExact: true,
    source: '§4 table',
  },
  { name: 'READY', text: '{"op":4}', frame: { op: 4 }, isExact: true, source: '§4 table' },
  {
    name: 'DISPATCH',
    text: '{"op":5,"d":{"ts":"2025-01-01T12:00:00.000Z","val":72},"uid":"8e864e3a-979a-4d04-b4e9-b6d020f20ba0","seq":73,"t":"HEART_RATE"}',
    frame: {
      op: 5,
      d: { ts: '2025-01-01T12:00:00.000Z', val: 72 },
      uid: '8e864e3a-979a-4d04-b4e9-b6d020f20ba0',
      seq: 73,
      t: 'HEART_RATE',
    },
    isExact: true,
    source: '§4 table',
  },
  {
    name: 'SUBMIT',
    text: '{"op":6,"d":{"ts":"2025-01-01T12:00:00.000Z","val":72},"t":"HEART_RATE"}',
    frame: { op: 6, d: { ts: '2025-01-01T12:00:00.000Z', val: 72 }, t: 'HEART_RATE' },
    isExact: true,
    source: '§4 table',
  },
  {
    name: 'REPLAY',
    text: '{"op":7,"d":{"after":28,"before":43}}',
    frame: { op: 7, d: { after: 28, before: 43 } },
    isExact: true,
    source: '§4 table',
  },
  {
    name: 'STATUS',
    text: '{"op":8,"d":{"connected":true,"device_id":"ant:120:12345","source":"desktop-hub/1.0","reason":"sensor connected"}}',
    frame: { op: 8, d: { connected: true, device_id: 'ant:120:12345', source: 'desktop-hub/1.0', reason: 'sensor connected' } },
    isExact: true,
    source: '§4 table',
  },
  {
    name: 'SUBMIT vector payload, t first',
    text: '{"op":6,"t":"ACCELERATION","d":{"ts":"2025-01-01T12:00:00.250Z","d":[0.01,-0.02,0.98]}}',
    frame: { op: 6, d: { ts: '2025-01-01T12:00:00.250Z', d: [0.01, -0.02, 0.98] }, t: 'ACCELERATION' },
    isExact: false,
    source: '§6.1 example (key order differs from §4; order is not significant)',
  },
  {
    name: 'DISPATCH with offset ts',
    text: '{"op":5,"d":{"ts":"2022-05-04T10:26:11.268507+01:00","val":95},"uid":"8e864e3a-979a-4d04-b4e9-b6d020f20ba0","seq":73,"t":"HEART_RATE"}',
    frame: {
      op: 5,
      d: { ts: '2022-05-04T10:26:11.268507+01:00', val: 95 },
      uid: '8e864e3a-979a-4d04-b4e9-b6d020f20ba0',
      seq: 73,
      t: 'HEART_RATE',
    },
    isExact: true,
    source: '§6.2 example',
  },
  {
    name: 'REPLAY without after',
    text: '{"op":7,"d":{"before":43}}',
    frame: { op: 7, d: { before: 43 } },
    isExact: true,
    source: '§7 (after defaults to 0)',
  },
  {
    name: 'STATUS disconnected',
    text: '{"op":8,"d":{"connected":false,"device_id":"ble:chest-strap-01","source":"desktop-hub/1.0","reason":"gatt disconnected"}}',
    frame: { op: 8, d: { connected: false, device_id: 'ble:chest-strap-01', source: 'desktop-hub/1.0', reason: 'gatt disconnected' } },
    isExact: true,
    source: '§9 example',
  },
  {
    name: 'HEARTBEAT with unknown key',
    text: '{"op":0,"x":1}',
    frame: { op: 0 },
    isExact: false,
    source: 'B-F08 (unknown top-level keys ignored)',
  },
  {
    name: 'DISPATCH synthetic',
    text: '{"op":5,"d":{"ts":"2025-01-01T12:00:00.000Z","val":1},"uid":"u","seq":2,"t":"FOO_BAR","synthetic":true}',
    frame: { op: 5, d: { ts: '2025-01-01T12:00:00.000Z', val: 1 }, uid: 'u', seq: 2, t: 'FOO_BAR', synthetic: true },
    isExact: true,
    source: 'rt.asyncapi.yaml DispatchFrame.synthetic; C02',
  },
];

export const INVALID_VECTORS: readonly InvalidVector[] = [
  { name: 'not JSON', text: 'not json', code: 'BROKER_BAD_FRAME', source: 'B-F01' },
  { name: 'no op', text: '{"d":{}}', code: 'BROKER_BAD_FRAME', source: 'B-F02' },
  { name: 'array', text: '[0]', code: 'BROKER_BAD_FRAME', source: '§3 (top level not an object)' },
  { name: 'op as string', text: '{"op":"0"}', code: 'BROKER_BAD_FRAME', source: '§3 (op not an integer)' },
  { name: 'op fraction', text: '{"op":0.5}', code: 'BROKER_BAD_FRAME', source: '§3 (op not an integer)' },
  { name: 'unknown op', text: '{"op":99}', code: 'BROKER_UNKNOWN_OP', source: 'B-F03' },
  { name: 'REPLAY d string', text: '{"op":7,"d":"x"}', code: 'BROKER_BAD_PAYLOAD', source: 'B-R05' },
  { name: 'REPLAY before string', text: '{"op":7,"d":{"before":"5"}}', code: 'BROKER_BAD_PAYLOAD', source: 'B-R05' },
  { name: 'REPLAY before fraction', text: '{"op":7,"d":{"before":1.5}}', code: 'BROKER_BAD_PAYLOAD', source: 'B-R05' },
  { name: 'REPLAY negative after', text: '{"op":7,"d":{"after":-1,"before":5}}', code: 'BROKER_BAD_PAYLOAD', source: '§7 local broker' },
  { name: 'SUBMIT without t', text: '{"op":6,"d":{"ts":"x","val":1}}', code: 'BROKER_BAD_PAYLOAD', source: 'B-S11' },
  { name: 'SUBMIT d array', text: '{"op":6,"t":"HEART_RATE","d":[1]}', code: 'BROKER_BAD_PAYLOAD', source: 'B-S11' },
  { name: 'STATUS without d', text: '{"op":8}', code: 'BROKER_BAD_PAYLOAD', source: 'B-X03' },
  { name: 'STATUS connected string', text: '{"op":8,"d":{"connected":"yes"}}', code: 'BROKER_BAD_PAYLOAD', source: 'B-X03' },
  { name: 'IDENTIFY type 2', text: '{"op":3,"d":{"token":"a","type":2}}', code: 'BROKER_BAD_PAYLOAD', source: '§4 IDENTIFY type 0/1' },
  { name: 'HELLO interval zero', text: '{"op":2,"d":{"heartbeat_interval":0}}', code: 'BROKER_BAD_PAYLOAD', source: '§4 HELLO positive integer ms' },
  { name: 'DISPATCH without seq', text: '{"op":5,"d":{},"uid":"u","t":"X"}', code: 'BROKER_BAD_PAYLOAD', source: '§4 DISPATCH required fields' },
];
