/**
 * Uplink manager: one uplink (and one durable outbox) per Terra user — each gym participant with a
 * Terra user id, or the single default user — fed from the hub's sample batches and the device
 * registry's link events. Samples are turned into SUBMIT frames and appended to the right outbox
 * at once, whether or not that uplink is connected. Many uplinks start staggered with jitter so a
 * gym of 50 does not hit the token endpoint and the broker in the same instant.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceId, DeviceStatus } from '../../shared/device';
import type { Sample } from '../../shared/sample';
import { Outbox, type OutboxOptions } from './outbox';
import { sampleToSubmit } from './submitFrames';
import { createTokenSource, type EmbeddedMint, type TokenSourceConfig } from './tokens';
import { Uplink, type UplinkStatus } from './uplink';

/** Where the uplinks send: a broker URL and how to get tokens for it. */
export interface UplinkTarget {
  readonly url: string;
  readonly tokenSource: TokenSourceConfig;
}

/** A device link change as the registry reports it. */
export interface LinkChange {
  readonly deviceId: DeviceId;
  readonly status: DeviceStatus;
  readonly reason: string;
}

/** Options of the manager. */
export interface UplinkManagerOptions {
  /** Outboxes live in `<dataDir>/outbox/<user>/`. */
  readonly dataDir: string;
  readonly target: UplinkTarget;
  /** The user everything goes to unless `route` says otherwise. */
  readonly defaultUserId: string;
  /** Terra user id a sample belongs to (gym mode: its participant's), or null for the default user. */
  readonly route?: (sample: Sample) => string | null;
  /** Terra user id a device belongs to, for STATUS; null: the default user. */
  readonly userOfDevice?: (deviceId: DeviceId) => string | null;
  readonly embeddedMint?: EmbeddedMint;
  /** Mean delay between the starts of consecutive uplinks (default 100 ms, ±50 % jitter). */
  readonly staggerMs?: number;
  readonly outbox?: Omit<OutboxOptions, 'dir' | 'onWarning'>;
  readonly uplink?: { handshakeTimeoutMs?: number; backoffBaseMs?: number; backoffCapMs?: number; maxBufferedBytes?: number };
  readonly source?: string;
  readonly random?: () => number;
  /** Any uplink's state changed. */
  readonly onStatus?: (status: UplinkStatus) => void;
  /** Outbox near limit / dropping: a warning the user must see. */
  readonly onWarning?: (userId: string, message: string) => void;
  readonly log?: (line: string) => void;
}

/** Folder name for a user's outbox: readable prefix plus a hash (ids may hold any character). */
export function outboxFolderName(userId: string): string {
  const readable = userId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  return `${readable}-${createHash('sha256').update(userId).digest('hex').slice(0, 8)}`;
}

/** One uplink per Terra user, fed from hub batches and link events. */
export class UplinkManager {
  private readonly uplinks = new Map<string, { uplink: Uplink; outbox: Outbox }>();
  private readonly random: () => number;
  private nextStartAtMs = 0;
  private readonly startTimers = new Set<ReturnType<typeof setTimeout>>();
  private isRunning = false;
  private readonly byUser = new Map<string, string[]>();

  constructor(private readonly options: UplinkManagerOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Open the default user's uplink, and one for every user whose outbox still holds undelivered readings. */
  start(): void {
    this.isRunning = true;
    this.uplinkFor(this.options.defaultUserId);
    const root = join(this.options.dataDir, 'outbox');
    if (!existsSync(root)) return;
    for (const name of readdirSync(root)) {
      const userFile = join(root, name, 'user.txt');
      if (!existsSync(userFile)) continue;
      const userId = readFileSync(userFile, 'utf8');
      if (this.uplinks.has(userId)) continue;
      const probe = Outbox.open({ dir: join(root, name), syncPolicy: 'never' });
      const undelivered = probe.metrics().queued;
      probe.close();
      if (undelivered > 0) this.uplinkFor(userId);
    }
  }

  /** Route a batch of hub samples to their users' outboxes (and sockets, when connected). */
  onSamples(batch: readonly Sample[]): void {
    if (!this.isRunning) return;
    this.byUser.clear();
    for (const sample of batch) {
      const frame = sampleToSubmit(sample);
      if (frame === null) continue;
      const user = this.options.route?.(sample) ?? this.options.defaultUserId;
      let list = this.byUser.get(user);
      if (!list) this.byUser.set(user, (list = []));
      list.push(frame);
    }
    for (const [user, frames] of this.byUser) this.uplinkFor(user).uplink.enqueue(frames);
  }

  /** A device's link changed: STATUS on its user's uplink. */
  onLink(change: LinkChange): void {
    if (!this.isRunning) return;
    const user = this.options.userOfDevice?.(change.deviceId) ?? this.options.defaultUserId;
    const isConnected = change.status === 'live' || change.status === 'stale';
    this.uplinkFor(user).uplink.setLink(change.deviceId, isConnected, `${change.status}${change.reason ? `: ${change.reason}` : ''}`);
  }

  /** Status of every uplink, default user first. */
  statuses(): UplinkStatus[] {
    return [...this.uplinks.values()].map((u) => u.uplink.status());
  }

  /** The uplink of one user, if it exists. */
  get(userId: string): Uplink | undefined {
    return this.uplinks.get(userId)?.uplink;
  }

  private uplinkFor(userId: string): { uplink: Uplink; outbox: Outbox } {
    const existing = this.uplinks.get(userId);
    if (existing) return existing;
    const o = this.options;
    const dir = join(o.dataDir, 'outbox', outboxFolderName(userId));
    const outbox = Outbox.open({ ...o.outbox, dir, onWarning: (message) => o.onWarning?.(userId, message) });
    writeFileSync(join(dir, 'user.txt'), userId);
    const uplink = new Uplink({
      url: o.target.url,
      userId,
      tokenSource: createTokenSource(o.target.tokenSource, userId, o.target.url, { embeddedMint: o.embeddedMint }),
      outbox,
      source: o.source,
      random: this.random,
      onStatus: o.onStatus,
      log: o.log,
      ...o.uplink,
    });
    const entry = { uplink, outbox };
    this.uplinks.set(userId, entry);
    this.scheduleStart(uplink);
    return entry;
  }

  private scheduleStart(uplink: Uplink): void {
    const now = Date.now();
    const stagger = this.options.staggerMs ?? 100;
    const at = Math.max(now, this.nextStartAtMs);
    this.nextStartAtMs = at + stagger * (0.5 + this.random());
    if (at <= now) {
      uplink.start();
      return;
    }
    const t = setTimeout(() => {
      this.startTimers.delete(t);
      if (this.isRunning) uplink.start();
    }, at - now);
    this.startTimers.add(t);
  }

  /** Stop every uplink and close the outboxes (undelivered readings stay on disk for the next start). */
  async stop(): Promise<void> {
    this.isRunning = false;
    for (const t of this.startTimers) clearTimeout(t);
    this.startTimers.clear();
    await Promise.all([...this.uplinks.values()].map((u) => u.uplink.stop()));
    for (const u of this.uplinks.values()) u.outbox.close();
    this.uplinks.clear();
  }
}
