/**
 * Loopback addresses, decided by parsing, never by prefix: `127.attacker.example` is a DNS name,
 * not a loopback address (docs/security.md "Loopback").
 */

/** Whether a host name (as `URL.hostname` gives it, or as typed by a user) is this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h === '::1' || h === '[::1]') return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (!m) return false;
  const octets = m.slice(1).map(Number);
  return octets[0] === 127 && octets.every((o) => o <= 255);
}

/** Whether a URL's host is loopback; an unparsable URL is not. */
export function isLoopbackUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return isLoopbackHostname(u.hostname);
}

/**
 * Whether a secret may travel to `url`: `https:`/`wss:` anywhere, `http:`/`ws:` only to this
 * machine. Returns null when allowed, else the reason.
 */
export function insecureUrlReason(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (u.protocol === 'https:' || u.protocol === 'wss:') return null;
  if ((u.protocol === 'http:' || u.protocol === 'ws:') && isLoopbackHostname(u.hostname)) return null;
  if (u.protocol === 'http:' || u.protocol === 'ws:') {
    return `${u.host} is not on this machine, so it must use ${u.protocol === 'http:' ? 'https://' : 'wss://'} (secrets and readings would cross the network in clear text)`;
  }
  return `${u.protocol}// is not a web address`;
}
