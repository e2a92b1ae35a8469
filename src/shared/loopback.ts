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
