/**
 * Where each broker secret goes, and the rule that a secret only goes where it was entered
 * (docs/security.md "Secrets"): a change of settings that would send a stored API key or `rt.`
 * token to another origin is refused unless the same call supplies the secret again (or clears
 * it). Plain `http://`/`ws://` is refused for any destination that is not this machine.
 */
import type { BrokerSettings } from '../../shared/contract/broker';
import { appError, type AppError } from '../../shared/errors';
import { isLoopbackHostname } from '../../shared/loopback';
import { httpBaseOf } from '../../client/tokenSources';

/** The origin (scheme://host:port) a secret would be sent to under `settings`, or null when unused. */
export function secretOrigins(settings: BrokerSettings): { apiKey: string | null; rtToken: string | null } {
  const target = settings.target.kind === 'url' ? settings.target.url : 'embedded';
  const source = settings.tokenSource;
  return {
    apiKey: source.kind === 'developer' ? originOf(source.authBase ?? (target === 'embedded' ? 'embedded' : httpBaseOf(target))) : null,
    rtToken: source.kind === 'rt' ? originOf(target) : null,
  };
}

function originOf(url: string): string {
  if (url === 'embedded') return 'embedded';
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** What a configure call does to the secrets: absent = kept, null = cleared, string = entered. */
export interface SecretChanges {
  readonly apiKey?: string | null;
  readonly rtToken?: string | null;
}

/**
 * Check a settings change before it is applied. `has` tells whether a secret is stored now.
 * Returns null when the change is allowed.
 */
export function checkSecretDestinations(
  current: BrokerSettings,
  next: BrokerSettings,
  changes: SecretChanges,
  has: { apiKey: boolean; rtToken: boolean },
): AppError | null {
  for (const url of urlsOf(next)) {
    const reason = insecureUrlReason(url);
    if (reason) return appError('BROKER_INSECURE_URL', `Refused: ${reason}.`);
  }
  const before = secretOrigins(current);
  const after = secretOrigins(next);
  const labels = { apiKey: 'API key', rtToken: 'rt. token' } as const;
  for (const name of ['apiKey', 'rtToken'] as const) {
    const isKept = changes[name] === undefined && has[name];
    if (!isKept || after[name] === null || after[name] === before[name]) continue;
    return appError(
      'BROKER_SECRET_REQUIRED',
      `The stored ${labels[name]} would now be sent to ${after[name] === 'embedded' ? 'the embedded broker' : after[name]}; enter the ${labels[name]} again to send it there.`,
    );
  }
  return null;
}

/** Every URL in the settings that a secret or a token travels to. */
function urlsOf(settings: BrokerSettings): string[] {
  const urls: string[] = [];
  if (settings.target.kind === 'url') urls.push(settings.target.url);
  const source = settings.tokenSource;
  if (source.kind === 'tokenUrl') urls.push(source.url.split('{userId}').join('user'));
  if (source.kind === 'developer' && source.authBase) urls.push(source.authBase);
  return urls;
}

/**
 * Whether a secret may travel to `url`: `https:`/`wss:` anywhere, `http:`/`ws:` only to this
 * machine (loopback decided by parsing). Returns null when allowed, else the reason.
 */
export function insecureUrlReason(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url.slice(0, 200)}" is not a URL`;
  }
  if (u.protocol === 'https:' || u.protocol === 'wss:') return null;
  if (u.protocol !== 'http:' && u.protocol !== 'ws:') return `${u.protocol}// is not a web address`;
  if (isLoopbackHostname(u.hostname)) return null;
  return `${u.host} is not on this machine, so it must use ${u.protocol === 'http:' ? 'https://' : 'wss://'} (secrets and readings would cross the network in clear text)`;
}
