/**
 * Checks the Broker panel's form before it is saved and says, field by field, in sentences, what the
 * user has to change. The fields are checked in the order the user fills them (target, then token
 * source), so the first thing said is about what they just typed, never about a field they have not
 * reached yet. The address rule itself is shared with the host (src/shared/brokerUrl.ts).
 */
import { brokerUrlProblem, tokenUrlProblem, type UrlProblem } from '../../../shared/brokerUrl';
import type { TokenSourceConfig } from '../../../shared/contract/broker';

/** What the form holds. */
export interface BrokerForm {
  readonly targetKind: 'embedded' | 'url';
  readonly url: string;
  readonly tokenKind: TokenSourceConfig['kind'];
  readonly tokenUrl: string;
  readonly devId: string;
  readonly hasApiKey: boolean;
  readonly hasRtToken: boolean;
  readonly defaultUserId: string;
  readonly maxEntries: string;
}

/** Field problems, by field, as sentences. */
export type BrokerFormErrors = Partial<Record<'url' | 'tokenSource' | 'tokenUrl' | 'devId' | 'apiKey' | 'rtToken' | 'defaultUserId' | 'maxEntries', string>>;

function brokerSentence(p: UrlProblem, url: string): string {
  if (p.kind === 'empty') return 'Enter the broker URL, for example wss://ws.tryterra.co/connect.';
  if (p.kind === 'notUrl') return `"${url}" is not a web address; a broker URL looks like wss://ws.tryterra.co/connect.`;
  if (p.kind === 'badScheme') return `A broker URL starts with wss:// (or ws:// for a broker on this computer), not ${p.scheme}://.`;
  return `${p.host} is not on this computer, so the connection must be encrypted: use ${p.secureUrl} (wss:// instead of ws://).`;
}

function tokenSentence(p: UrlProblem, url: string): string {
  if (p.kind === 'empty') return 'Enter the address of the token endpoint on your backend, or choose another token source.';
  if (p.kind === 'notUrl') return `"${url}" is not a web address; a token URL looks like https://your.backend/terra-token?id={userId}.`;
  if (p.kind === 'badScheme') return `A token URL starts with https:// (or http:// on this computer), not ${p.scheme}://.`;
  return `${p.host} is not on this computer, so the token URL must be encrypted: use ${p.secureUrl}.`;
}

/** Check the form; an empty object means it can be saved. */
export function checkBrokerForm(f: BrokerForm): BrokerFormErrors {
  const errors: BrokerFormErrors = {};
  if (f.targetKind === 'url') {
    const p = brokerUrlProblem(f.url);
    if (p) errors.url = brokerSentence(p, f.url);
    // The token source comes after the URL: while the URL is wrong, that is the one thing said.
    if (p) return errors;
    if (f.tokenKind === 'embedded') errors.tokenSource = 'A broker other than the built-in one needs a token source: choose a token URL, developer credentials or an rt. token.';
    if (f.tokenKind === 'tokenUrl') {
      const t = tokenUrlProblem(f.tokenUrl);
      if (t) errors.tokenUrl = tokenSentence(t, f.tokenUrl);
    }
    if (f.tokenKind === 'developer' && f.devId.trim() === '') errors.devId = 'Enter your Terra developer id (dev-id).';
    if (f.tokenKind === 'developer' && !f.hasApiKey) errors.apiKey = 'Enter the API key that belongs to this dev-id.';
    if (f.tokenKind === 'rt' && !f.hasRtToken) errors.rtToken = 'Paste the rt. token shown under the QR code in the Terra dashboard.';
  }
  if (f.defaultUserId.trim() === '') errors.defaultUserId = 'Enter the Terra user id readings are sent under when no athlete has one.';
  const max = Number(f.maxEntries);
  if (!Number.isInteger(max) || max < 100) errors.maxEntries = 'The outbox limit is a whole number of readings, at least 100.';
  return errors;
}

/** The first problem, as the one sentence shown next to Save. */
export function firstBrokerFormError(errors: BrokerFormErrors): string | null {
  return Object.values(errors)[0] ?? null;
}
