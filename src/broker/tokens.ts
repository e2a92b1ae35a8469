/**
 * Token store of the local broker (docs/broker-protocol.md §2.3, §2.4, §5.3): single-use user
 * and developer tokens with a lifetime, and reusable `rt.` producer tokens from the configuration.
 */
import { randomBytes } from 'node:crypto';
import type { BrokerConfig } from './config';
import { parseRtExpiry } from '../shared/terra/tokens';

/** What a token grants: a producer session for a user, or a consumer session for a developer. */
export type TokenGrant =
  | { readonly kind: 'user'; readonly devId: string; readonly userId: string }
  | { readonly kind: 'developer'; readonly devId: string }
  | { readonly kind: 'rt'; readonly devId: string; readonly userId: string };

/** Outcome of presenting a token in IDENTIFY. */
export type TokenCheck =
  | { readonly ok: true; readonly grant: TokenGrant; readonly role: 'producer' | 'consumer' }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' | 'wrong-type' };

interface Minted {
  readonly grant: TokenGrant;
  readonly expiresAtMs: number;
}

/** The token store: mint, check, consume, expire. */
export class TokenStore {
  private readonly minted = new Map<string, Minted>();
  private readonly rt = new Map<string, { grant: TokenGrant; expiresAtMs: number }>();
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Tokens minted since start. */
  mintedCount = 0;

  constructor(
    private readonly config: BrokerConfig,
    private readonly nowMs: () => number = Date.now,
  ) {
    for (const entry of config.rtTokens) {
      const dev = config.developers.find((d) => d.users.includes(entry.userId)) ?? config.developers.find((d) => d.acceptAnyUser);
      if (!dev) continue;
      // the one rt. expiry parser (docs/broker-protocol.md §2); an expiry that is not a time refuses the token rather than keeping it forever
      const expiry = parseRtExpiry(entry.expiresAt);
      const expiresAtMs = expiry.ok ? (expiry.value ?? Infinity) : 0;
      this.rt.set(entry.token, { grant: { kind: 'rt', devId: dev.devId, userId: entry.userId }, expiresAtMs });
    }
    const sweepMs = Math.min(config.tokenLifetimeMs, 60_000);
    this.sweepTimer = setInterval(() => this.sweep(), sweepMs);
    this.sweepTimer.unref();
  }

  /** Mint a single-use token for `grant` (random 32 bytes, base64url). */
  mint(grant: TokenGrant): string {
    const token = randomBytes(32).toString('base64url');
    this.minted.set(token, { grant, expiresAtMs: this.nowMs() + this.config.tokenLifetimeMs });
    this.mintedCount++;
    return token;
  }

  /** Check a token against the IDENTIFY `type` without consuming it. */
  check(token: string, type: 0 | 1 | null): TokenCheck {
    const now = this.nowMs();
    const rt = this.rt.get(token);
    if (rt) {
      if (now >= rt.expiresAtMs) return { ok: false, reason: 'expired' };
      return type === 0 ? { ok: true, grant: rt.grant, role: 'producer' } : { ok: false, reason: 'wrong-type' };
    }
    const entry = this.minted.get(token);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (now >= entry.expiresAtMs) {
      this.minted.delete(token);
      return { ok: false, reason: 'expired' };
    }
    const wanted = entry.grant.kind === 'developer' ? 1 : 0;
    if (type !== wanted) return { ok: false, reason: 'wrong-type' };
    return { ok: true, grant: entry.grant, role: wanted === 1 ? 'consumer' : 'producer' };
  }

  /** Consume a single-use token (no-op for `rt.` tokens). */
  consume(token: string): void {
    this.minted.delete(token);
  }

  /** Number of live single-use tokens (minted, neither used nor expired). */
  liveCount(): number {
    this.sweep();
    return this.minted.size;
  }

  /** Delete expired single-use tokens. */
  sweep(): void {
    const now = this.nowMs();
    for (const [token, entry] of this.minted) if (now >= entry.expiresAtMs) this.minted.delete(token);
  }

  /** Stop the sweep timer. */
  dispose(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }
}
