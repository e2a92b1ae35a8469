/**
 * The one place that turns a failed host call into what a person reads: a sentence about what they
 * were doing. Error codes and the contract's field paths (`CONTRACT_BAD_ARGS`, `REC_NOT_RECORDING`,
 * `roster.upsertParticipant: participant.name: …`) are for programs: they go to the console log
 * (and stay in the contract's replies), never into the page.
 */

/** A failed reply as the contract returns it. */
export interface Failure {
  readonly code: string;
  readonly message: string;
}

/** Field names of the contract, as a person calls them. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'name',
  terraUserId: 'Terra user id',
  tokenRef: 'token reference',
  maxHrBpm: 'max HR',
  zonesBpm: 'heart-rate zones',
  colour: 'colour',
  ageYears: 'age',
  weightKg: 'weight',
  sex: 'sex',
  deviceIds: 'sensors',
  deviceId: 'sensor',
  url: 'URL',
  devId: 'dev-id',
  defaultUserId: 'Terra user id',
  maxEntries: 'outbox limit',
  label: 'label',
  subjectId: 'participant id',
  sessionId: 'session id',
  csv: 'CSV file',
  value: 'value',
};

/** Sentences for codes whose host message is written for programs. */
const CODE_SENTENCES: Readonly<Record<string, string>> = {
  REC_NOT_RECORDING: 'no recording is running. Start one in Recording first',
  REC_ALREADY_RECORDING: 'a recording is already running. Stop it first',
  CONTRACT_UNAUTHORIZED: 'this page is not allowed to talk to the host. Open it with the address (and token) the host printed',
  CONTRACT_UNKNOWN_COMMAND: 'this page and the host are different versions. Reload the page',
  CONTRACT_BAD_MESSAGE: 'the host sent an answer this page does not understand. Reload the page; if it happens again, the details are in the browser console',
};

const CODE_PREFIX = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+:\s*/;

function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '') return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…)]$/.test(first) ? first : `${first}.`;
}

/** "roster.upsertParticipant: participant.name: name is empty" (command, then `path: reason` issues joined by "; ") → "the name is empty". */
function describeBadArgs(message: string): string {
  const issue = message.replace(/^[a-z]+\.[A-Za-z]+:\s*/, '').split('; ')[0] ?? '';
  const at = issue.indexOf(': ');
  const path = at < 0 ? '' : issue.slice(0, at);
  const reason = (at < 0 ? issue : issue.slice(at + 2)).replace(/^invalid input:?\s*/i, '').trim();
  const field = path.split('.').filter((p) => p !== '(root)' && !/^\d+$/.test(p)).pop() ?? '';
  const label = FIELD_LABELS[field] ?? (field === '' ? null : field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  if (label === null) return `one of the values is not valid (${reason})`;
  if (reason.toLowerCase().startsWith(label.toLowerCase())) return `the ${reason}`;
  return `the ${label} is not valid: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
}

/** Whether a failure is the page having lost its host (the host stopped, or the link dropped). */
function isHostGone(f: Failure): boolean {
  return /connection to the host closed|not connected to the host/i.test(f.message);
}

/**
 * What to show for a failed `action` ("save the athlete", "add the marker"): one sentence,
 * "Could not <action>: <why>." The code and raw message go to the console.
 */
export function userMessage(f: Failure, action: string): string {
  console.info(`Sensor Relay: ${action} failed [${f.code}] ${f.message}`);
  let why: string;
  if (isHostGone(f)) why = 'the host is not reachable. This page reconnects by itself when the host runs again';
  else if (CODE_SENTENCES[f.code]) why = CODE_SENTENCES[f.code]!;
  else if (f.code === 'CONTRACT_BAD_ARGS') why = describeBadArgs(f.message);
  else if (f.code === 'CONTRACT_HANDLER_FAILED') why = 'the host ran into an unexpected problem. The details are in the host’s log';
  else why = f.message.replace(CODE_PREFIX, '');
  why = why.trim();
  return sentence(`Could not ${action}: ${why.charAt(0).toLowerCase()}${why.slice(1)}`);
}

/** A message for people from text that may start with an error code (`BROKER_CLOSED: …`): the code is dropped. */
export function withoutCode(text: string): string {
  return sentence(text.replace(CODE_PREFIX, ''));
}
