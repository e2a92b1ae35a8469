/**
 * Every error code the app reports, in one place. Errors are values `{ code, message }`;
 * the code is stable (tests and lab software match on it), the message is for people.
 */
export const ERROR_CODES = [
  // contract
  'CONTRACT_BAD_MESSAGE',
  'CONTRACT_UNKNOWN_COMMAND',
  'CONTRACT_BAD_ARGS',
  'CONTRACT_HANDLER_FAILED',
  'CONTRACT_UNAUTHORIZED',
  // desktop app runtime (app:// protocol, auto-update settings)
  'APP_PROTOCOL_REFUSED',
  'APP_UPDATE_SETTINGS_INVALID',
  // simulation
  'SIM_UNKNOWN_SCENARIO',
  'SIM_BAD_SCENARIO',
  'SIM_UNKNOWN_DEVICE',
  'SIM_DISABLED',
  // gatt
  'GATT_SHORT_PAYLOAD',
  'GATT_BAD_VALUE',
  // bluetooth (connection manager, chooser, pairing)
  'BLE_UNAVAILABLE',
  'BLE_REQUEST_FAILED',
  'BLE_CONNECT_FAILED',
  'BLE_MISSING_SERVICE',
  'BLE_NO_CHOOSER_REQUEST',
  'BLE_NO_PAIRING_REQUEST',
  // ant
  'ANT_BAD_CHECKSUM',
  'ANT_BAD_SYNC',
  'ANT_SHORT_FRAME',
  /** A data message too short to hold an 8-byte page; rejected, never decoded. */
  'ANT_SHORT_PAGE',
  /** A derived rate or power beyond what a rider can produce; treated as a counter reset, never emitted. */
  'ANT_IMPLAUSIBLE_VALUE',
  /** The stick did not answer a channel command, or answered it with an error code. */
  'ANT_CHANNEL_FAILED',
  'ANT_NO_STICK',
  'ANT_PERMISSION_DENIED',
  'ANT_STICK_BUSY',
  'ANT_DRIVER_UNSUPPORTED',
  'ANT_STARTUP_TIMEOUT',
  'ANT_STICK_REMOVED',
  'ANT_USB_FAILED',
  'ANT_SCAN_UNSUPPORTED',
  'ANT_CHANNELS_FULL',
  'ANT_ATTACH_TIMEOUT',
  'ANT_SERIAL_ERROR',
  // broker
  'BROKER_BAD_FRAME',
  'BROKER_CLOSED',
  'BROKER_TOKEN_FAILED',
  'BROKER_INSECURE_URL',
  'BROKER_OUTBOX_FULL',
  'BROKER_UNKNOWN_OP',
  'BROKER_BAD_PAYLOAD',
  'BROKER_BAD_CONFIG',
  'BROKER_SESSION_LIMIT',
  'BROKER_SECRET_REQUIRED',
  /** The broker closed with a code that says this client's session cannot work (1003, 1009, 4000, 4003, 4004): not retried. */
  'BROKER_REFUSED',
  /** An `rt.` token is past its expiry: it is not presented, or it was refused after it. */
  'BROKER_TOKEN_EXPIRED',
  /** The socket opened but HELLO or READY did not arrive within the client's handshake timeout. */
  'BROKER_HANDSHAKE_TIMEOUT',
  /** A HEARTBEAT was still unanswered when the next one was due: the connection was dropped. */
  'BROKER_HEARTBEAT_LOST',
  // secrets (broker credentials)
  'SECRETS_UNAVAILABLE',
  'SECRETS_UNSAFE_FILE',
  'SECRETS_UNREADABLE',
  'BROKER_OUTBOX_IO',
  // recording
  'REC_NOT_RECORDING',
  'REC_ALREADY_RECORDING',
  'REC_UNKNOWN_SESSION',
  'REC_TORN_RECORD',
  'REC_BAD_RECORD',
  'REC_MISSING_SENSORS',
  'REC_EXPORT_FAILED',
  'REC_REPLAY_FAILED',
  'REC_IO_FAILED',
  'REC_OPEN_FOLDER_UNAVAILABLE',
  'REC_OPEN_FOLDER_FAILED',
  // settings
  'SETTINGS_INVALID',
  'DATA_DIR_UNUSABLE',
  // roster (gym mode)
  'ROSTER_UNKNOWN_PARTICIPANT',
  'ROSTER_UNKNOWN_DEVICE',
  'ROSTER_BAD_CSV',
  'ROSTER_BAD_FILE',
  'ROSTER_SAVE_FAILED',
  'ROSTER_NO_CLASS',
  'ROSTER_CLASS_RUNNING',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as a value. */
export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Build an {@link AppError}. */
export function appError(code: ErrorCode, message: string): AppError {
  return { code, message };
}

/** A result of an operation that may fail with an {@link AppError}. */
export type Result<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & AppError);

/** Successful {@link Result}. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Failed {@link Result}. */
export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, code, message };
}
