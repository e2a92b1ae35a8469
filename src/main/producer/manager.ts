/**
 * The broker uplinks of the host (issue 4, "Which readings go where"): settings in
 * `<dataDir>/broker-settings.json`, the embedded broker as the default target, one
 * {@link Outbox} + {@link Uplink} per Terra user (a participant's `terraUserId`, or the single
 * default user when no participant has one), hub batches routed through the roster, metrics
 * without a Terra label skipped and listed, link changes sent as STATUS.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { METRICS, type MetricId } from '../../shared/metrics';
import { nowMs, type Sample } from '../../shared/sample';
import { formatTs } from '../../shared/terra';
import { fail, ok, type Result } from '../../shared/errors';
import type { BrokerSettings, BrokerState } from '../../shared/contract/broker';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../broker/embedded';
import type { DeviceRegistry } from '../devices';
import type { SampleHub } from '../hub';
import type { RosterService } from '../roster/rosterService';
import { Outbox, type OutboxInput } from './outbox';
import { readSecret, SECRET_NAMES, type SecretStore } from './secrets';
import { loadBrokerSettings, mergeBrokerSettings, saveBrokerSettings, type BrokerConfigureArgs } from './settings';
import { testBrokerConnection, type ConnectionTestResult } from './testConnection';
import { buildTokenSource } from './tokens';
import { checkBrokerUrl, Uplink } from './uplink';
import { checkSecretDestinations } from './secretDestination';

/** What the manager needs from the host. */
export interface BrokerManagerOptions {
  readonly dataDir: string;
  readonly hub: SampleHub;
  readonly devices: DeviceRegistry;
  readonly roster: RosterService;
  readonly secrets: SecretStore;
  readonly version: string;
  readonly notice: (level: 'info' | 'warning' | 'error', message: string, code?: string) => void;
  /** Push the `brokerState` event (called at most twice a second). */
  readonly emitState: (state: BrokerState) => void;
  /** Spacing of uplink starts (ms, plus up to the same again of jitter); default 100 (10 for the embedded broker). */
  readonly staggerMs?: number;
  readonly log?: (line: string) => void;
}

interface Slot {
  readonly userId: string;
  readonly key: string;
  readonly outbox: Outbox;
  uplink: Uplink | null;
}

/** Heartbeat interval of the embedded broker: shorter than Terra's 40 s so the outbox watermark moves often. */
const EMBEDDED_HEARTBEAT_MS = 10_000;
/** Start spacing of uplinks to the embedded broker (tokens are minted in-process). */
const EMBEDDED_STAGGER_MS = 10;
const LIVE = new Set(['live', 'stale']);

/**
 * Lag of one athlete's uplink: time since the oldest reading not yet acknowledged by the broker was
 * read from the sensor (same clock as the readings' reception times), 0 when everything is delivered.
 */
export function lagMsOf(outbox: Pick<Outbox, 'oldestUndeliveredTMs'>, now: number): number {
  const oldest = outbox.oldestUndeliveredTMs;
  return oldest === null ? 0 : Math.max(0, now - oldest);
}

/**
 * The outbox entry of one reading: Terra label, `{"ts":…,"val":…}` written directly as JSON (the text
 * JSON.stringify gives, `null` for a value the factor took past the double range), capture time.
 */
export function outboxInputOf(s: Sample, label: string, factor: number): OutboxInput {
  const val = s.value * factor;
  return { t: label, dJson: `{"ts":"${formatTs(s.tMs)}","val":${Number.isFinite(val) ? val : 'null'}}`, tMs: s.tMs };
}

/** Outbox folder name of a user id: readable, filesystem-safe, unique. */
export function outboxKey(userId: string): string {
  const safe = userId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  return safe === userId ? safe : `${safe}-${createHash('sha256').update(userId).digest('hex').slice(0, 8)}`;
}

/** Start delay of the `index`-th uplink: slot `index × staggerMs` plus jitter within the slot (the first starts at once). */
export function uplinkStartDelayMs(index: number, staggerMs: number, random: number): number {
  return index === 0 ? 0 : (index + random) * staggerMs;
}

/** Runs the uplinks; construct, then {@link BrokerManager.start}. */
export class BrokerManager {
  private settings: BrokerSettings;
  private readonly notices: string[] = [];
  private readonly slots = new Map<string, Slot>();
  private embedded: EmbeddedBroker | null = null;
  private readonly seenUnforwarded = new Set<MetricId>();
  private unrouted = 0;
  private unsubscribe: (() => void)[] = [];
  private isRunning = false;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmitMs = 0;
  private rebuildQueued = false;
  private lastAppendProblemMs = 0;

  constructor(private readonly options: BrokerManagerOptions) {
    const loaded = loadBrokerSettings(options.dataDir);
    this.settings = loaded.settings;
    if (loaded.notice) this.notices.push(loaded.notice);
  }

  /** Open the outboxes, follow the hub, start the embedded broker (if it is the target) and the uplinks. */
  async start(): Promise<void> {
    this.isRunning = true;
    for (const n of this.notices) this.options.notice('warning', n, 'BROKER_BAD_CONFIG');
    this.unsubscribe.push(
      this.options.hub.subscribeLive((batch) => this.onBatch(batch)),
      this.options.devices.onLinkEvent((e) => this.onLink(e.deviceId, LIVE.has(e.status), e.reason || e.status)),
      this.options.roster.onChange(() => this.queueRebuild()),
    );
    await this.startTarget();
  }

  private async startTarget(): Promise<void> {
    if (!this.settings.isEnabled) return;
    this.openSlots();
    if (this.settings.target.kind === 'embedded') {
      const started = await startEmbeddedBroker({
        dataDir: this.options.dataDir,
        port: this.settings.embeddedPort,
        config: { heartbeatIntervalMs: EMBEDDED_HEARTBEAT_MS },
        log: this.options.log,
      });
      if (!this.isRunning) {
        if (started.ok) await started.value.broker.close();
        return;
      }
      if (!started.ok) {
        const message = `the embedded broker could not start (${started.message}); readings are kept in the outbox until a broker is reachable`;
        this.notices.push(message);
        this.options.notice('warning', message, started.code);
        return;
      }
      this.embedded = started.value;
    }
    this.startUplinks();
  }

  /** Stop the uplinks (closing their sockets), flush the outboxes, stop the embedded broker. */
  async stop(): Promise<void> {
    this.isRunning = false;
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.emitTimer) clearTimeout(this.emitTimer);
    await this.stopTarget();
  }

  private async stopTarget(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(slots.map((s) => s.uplink?.stop()));
    for (const s of slots) s.outbox.close();
    const embedded = this.embedded;
    this.embedded = null;
    if (embedded) await embedded.broker.close();
  }

  /** Everything the broker panel shows. */
  state(): BrokerState {
    const participants = this.options.roster.participants();
    const nameOf = (userId: string): string | null => participants.find((p) => p.terraUserId === userId)?.name ?? null;
    const now = nowMs();
    return {
      settings: this.settings,
      hasApiKey: readSecret(this.options.secrets, SECRET_NAMES.apiKey).value !== null,
      hasRtToken: readSecret(this.options.secrets, SECRET_NAMES.rtToken).value !== null,
      secretStore: this.options.secrets.description.includes('keychain') ? 'safeStorage' : 'file',
      targetUrl: this.targetUrl(),
      embedded: this.embedded ? { url: this.embedded.broker.url, httpUrl: this.embedded.broker.httpUrl, credentialsPath: this.embedded.credentialsPath } : null,
      uplinks: [...this.slots.values()].map((s) => {
        const st = s.uplink?.state();
        return {
          key: s.key,
          userId: s.userId,
          participantName: nameOf(s.userId),
          state: st?.state ?? 'idle',
          url: st?.url ?? this.targetUrl() ?? '',
          lastClose: st?.lastClose ?? null,
          error: st?.error ?? null,
          connections: st?.connections ?? 0,
          ignoredFrames: st?.ignoredFrames ?? 0,
          outbox: { ...s.outbox.metrics(), lagMs: lagMsOf(s.outbox, now) },
        };
      }),
      unforwardedMetrics: (Object.keys(METRICS) as MetricId[]).filter((m) => METRICS[m].terra === null).map((metric) => ({ metric, isSeen: this.seenUnforwarded.has(metric) })),
      unroutedReadings: this.unrouted,
      notices: [...this.notices],
    };
  }

  /** Validate and apply new settings and secrets, then restart the uplinks. */
  async configure(args: BrokerConfigureArgs): Promise<Result<BrokerState>> {
    const merged = mergeBrokerSettings(this.settings, args.settings ?? {});
    if (!merged.ok) return merged;
    const next = merged.value;
    if (next.target.kind === 'url') {
      const bad = checkBrokerUrl(next.target.url);
      if (bad) return fail(bad.code, bad.message);
      if (next.tokenSource.kind === 'embedded') return fail('BROKER_BAD_CONFIG', 'an external broker needs a token source: a token URL on your backend, developer credentials, or an rt. token');
    }
    const stored = { apiKey: this.options.secrets.get(SECRET_NAMES.apiKey), rtToken: this.options.secrets.get(SECRET_NAMES.rtToken) };
    const moved = checkSecretDestinations(this.settings, next, args, { apiKey: stored.apiKey.ok && stored.apiKey.value !== null, rtToken: stored.rtToken.ok && stored.rtToken.value !== null });
    if (moved) return fail(moved.code, moved.message);
    for (const [name, value] of [[SECRET_NAMES.apiKey, args.apiKey], [SECRET_NAMES.rtToken, args.rtToken]] as const) {
      if (value === undefined) continue;
      const r = value === null ? this.options.secrets.delete(name) : this.options.secrets.set(name, value);
      if (!r.ok) return fail(r.code, r.message);
    }
    const saved = saveBrokerSettings(this.options.dataDir, next);
    if (!saved.ok) return saved;
    this.settings = next;
    this.notices.length = 0;
    await this.stopTarget();
    if (this.isRunning) await this.startTarget();
    this.scheduleEmit();
    return ok(this.state());
  }

  /** Mint a token and reach READY once with the current settings. */
  async testConnection(userId?: string): Promise<ConnectionTestResult> {
    const url = this.targetUrl();
    if (!url) return { isOk: false, code: 'BROKER_CLOSED', message: 'no broker to test: the embedded broker is not running and no URL is configured', elapsedMs: 0 };
    const tokens = buildTokenSource(this.settings.tokenSource, { userId: userId ?? this.desiredUsers()[0] ?? this.settings.defaultUserId, brokerUrl: url, secrets: this.options.secrets, embedded: this.embeddedMint() });
    if (!tokens.ok) return { isOk: false, code: tokens.code, message: tokens.message, elapsedMs: 0 };
    return testBrokerConnection(url, tokens.value.source);
  }

  private targetUrl(): string | null {
    if (this.settings.target.kind === 'url') return this.settings.target.url;
    return this.embedded?.broker.url ?? null;
  }

  private embeddedMint(): ((userId: string) => ReturnType<EmbeddedBroker['userTokenSource']>) | null {
    const e = this.embedded;
    return e ? (userId) => e.userTokenSource(userId) : null;
  }

  /** Whether readings go per participant (some participant has a Terra user id). */
  private isPerParticipant(): boolean {
    return this.options.roster.participants().some((p) => p.terraUserId);
  }

  private desiredUsers(): string[] {
    if (!this.isPerParticipant()) return [this.settings.defaultUserId];
    return [...new Set(this.options.roster.participants().flatMap((p) => (p.terraUserId ? [p.terraUserId] : [])))];
  }

  /** Open an outbox for every desired user (synchronous, so no reading is missed while the broker starts). */
  private openSlots(): void {
    for (const userId of this.desiredUsers()) {
      if (this.slots.has(userId)) continue;
      const key = outboxKey(userId);
      const opened = Outbox.open({
        dir: join(this.options.dataDir, 'outbox', key),
        maxEntries: this.settings.outbox.maxEntries,
        isDeliveredKept: this.settings.outbox.isDeliveredKept,
        onWarning: (m) => this.options.notice('warning', m, 'BROKER_OUTBOX_FULL'),
      });
      if (!opened.ok) {
        this.options.notice('error', opened.message, opened.code);
        continue;
      }
      this.slots.set(userId, { userId, key, outbox: opened.value, uplink: null });
    }
  }

  private startUplinks(): void {
    const url = this.targetUrl();
    if (!url || !this.isRunning) return;
    // an external token backend is spared a stampede; the embedded broker mints in-process, so its uplinks need no queue
    const stagger = this.options.staggerMs ?? (this.settings.target.kind === 'embedded' ? EMBEDDED_STAGGER_MS : 100);
    let i = 0;
    for (const slot of this.slots.values()) {
      if (slot.uplink) continue;
      const tokens = buildTokenSource(this.settings.tokenSource, { userId: slot.userId, brokerUrl: url, secrets: this.options.secrets, embedded: this.embeddedMint() });
      if (!tokens.ok) {
        this.options.notice('error', `uplink for ${slot.userId}: ${tokens.message}`, tokens.code);
        continue;
      }
      const uplink = new Uplink({
        url,
        token: tokens.value.source,
        outbox: slot.outbox,
        source: `sensor-relay/${this.options.version}`,
        onChange: () => this.scheduleEmit(),
        log: this.options.log,
      });
      slot.uplink = uplink;
      for (const d of this.options.devices.list()) {
        if (this.ownerUser(d.id) === slot.userId) uplink.setDeviceLink(d.id, LIVE.has(d.status), d.status);
      }
      // staggered, jittered starts: 50 athletes must not stampede the token backend or the broker
      uplink.start(uplinkStartDelayMs(i, stagger, Math.random()));
      i++;
    }
  }

  private queueRebuild(): void {
    if (this.rebuildQueued || !this.isRunning || !this.settings.isEnabled) return;
    this.rebuildQueued = true;
    setTimeout(() => {
      this.rebuildQueued = false;
      if (!this.isRunning) return;
      const desired = new Set(this.desiredUsers());
      for (const [userId, slot] of this.slots) {
        if (desired.has(userId)) continue;
        this.slots.delete(userId);
        void slot.uplink?.stop().then(() => slot.outbox.close());
        if (!slot.uplink) slot.outbox.close();
      }
      this.openSlots();
      if (this.settings.target.kind === 'url' || this.embedded) this.startUplinks();
      this.scheduleEmit();
    }, 0);
  }

  private ownerUser(deviceId: string): string | null {
    if (!this.isPerParticipant()) return this.settings.defaultUserId;
    return this.options.roster.ownerOf(deviceId)?.terraUserId ?? null;
  }

  private onLink(deviceId: string, connected: boolean, reason: string): void {
    const userId = this.ownerUser(deviceId);
    if (userId) this.slots.get(userId)?.uplink?.setDeviceLink(deviceId, connected, reason);
  }

  private onBatch(batch: readonly Sample[]): void {
    if (this.slots.size === 0) return;
    const perParticipant = this.isPerParticipant();
    const groups = new Map<Slot, OutboxInput[]>();
    for (const s of batch) {
      const terra = METRICS[s.metric].terra;
      if (!terra) {
        this.seenUnforwarded.add(s.metric);
        continue;
      }
      const userId = perParticipant ? (this.options.roster.routeSample(s)?.terraUserId ?? null) : this.settings.defaultUserId;
      const slot = userId ? this.slots.get(userId) : undefined;
      if (!slot) {
        this.unrouted++;
        continue;
      }
      let group = groups.get(slot);
      if (!group) groups.set(slot, (group = []));
      group.push(outboxInputOf(s, terra.label, terra.factor));
    }
    for (const [slot, entries] of groups) {
      const r = slot.outbox.append(entries);
      if (!r.ok && Date.now() - this.lastAppendProblemMs > 10_000) {
        this.lastAppendProblemMs = Date.now();
        this.options.notice('error', r.message, r.code);
      }
      slot.uplink?.kick();
    }
    if (groups.size > 0) this.scheduleEmit();
  }

  private scheduleEmit(): void {
    if (this.emitTimer || !this.isRunning) return;
    const wait = Math.max(0, 500 - (Date.now() - this.lastEmitMs));
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      this.lastEmitMs = Date.now();
      this.options.emitState(this.state());
    }, wait);
    this.emitTimer.unref?.();
  }
}
