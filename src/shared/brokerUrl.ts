/**
 * The rule for broker and token-endpoint addresses (docs/architecture.md "Security defaults", docs/security.md "Secrets"): a broker is
 * `ws://` or `wss://`, a token endpoint `http://` or `https://`, and anything not on this computer
 * must use the encrypted form, because tokens and health readings would otherwise cross the network
 * in clear text. Pure, so the Broker panel can say it before saving and the host can enforce it.
 */
import { isLoopbackHostname } from './loopback';

/** What is wrong with an address, or null. */
export type UrlProblem = { readonly kind: 'empty' } | { readonly kind: 'notUrl' } | { readonly kind: 'badScheme'; readonly scheme: string } | { readonly kind: 'insecure'; readonly host: string; readonly secureUrl: string };

function check(url: string, plain: string, secure: string): UrlProblem | null {
  if (url.trim() === '') return { kind: 'empty' };
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return { kind: 'notUrl' };
  }
  if (u.protocol !== plain && u.protocol !== secure) return { kind: 'badScheme', scheme: u.protocol.replace(/:$/, '') };
  if (u.protocol === plain && !isLoopbackHostname(u.hostname)) {
    return { kind: 'insecure', host: u.host, secureUrl: `${secure}//${url.trim().slice(plain.length + 2)}` };
  }
  return null;
}

/** Problem of a broker URL (`wss://`, or `ws://` on this computer). */
export function brokerUrlProblem(url: string): UrlProblem | null {
  return check(url, 'ws:', 'wss:');
}

/** Problem of a token endpoint URL (`https://`, or `http://` on this computer). */
export function tokenUrlProblem(url: string): UrlProblem | null {
  return check(url, 'http:', 'https:');
}
