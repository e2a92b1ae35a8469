/**
 * Tap to claim as the roster runs it: one claim at a time (a new one replaces the one in progress),
 * baselines taken from the hub's last heart rates at the press, and the outcome (assigned, timed
 * out, cancelled) applied to the roster book and told to the user. The rule itself is {@link Claim}.
 */
import type { EventPayload } from '../../shared/contract';
import type { DeviceId } from '../../shared/device';
import { ok, type Result } from '../../shared/errors';
import type { MetricId } from '../../shared/metrics';
import { assignDevice } from '../../shared/roster/participant';
import type { Sample } from '../../shared/sample';
import { Claim, DEFAULT_CLAIM, type ClaimOptions, type ClaimState } from './claim';
import { unknownParticipant, type RosterBook } from './rosterBook';

/** What a claim needs from the roster service. */
export interface ClaimFlowDeps {
  readonly book: RosterBook;
  readonly devices: { list(): readonly { readonly id: DeviceId }[]; get(id: DeviceId): { readonly name: string } | undefined };
  /** Last fresh value of a device metric (the hub's), for the baselines. */
  readonly lastValue: (deviceId: DeviceId, metric: MetricId) => number | null;
  readonly notice: (level: 'info' | 'warning' | 'error', message: string, code?: string) => void;
  readonly emitClaim: (payload: EventPayload<'rosterClaim'>) => void;
  /** The claim started or ended (the roster view shows it). */
  readonly changed: () => void;
  readonly now: () => number;
}

/** How a claim ended. */
type ClaimOutcome = 'assigned' | 'timeout' | 'cancelled';

/** The claim in progress, if any. */
export class ClaimFlow {
  private claim: Claim | null = null;

  constructor(private readonly deps: ClaimFlowDeps) {}

  /** The claim in progress (for the roster view). */
  get state(): ClaimState | null {
    return this.claim?.state ?? null;
  }

  /** Start a claim for a participant (replaces a claim in progress). */
  start(participantId: string, options: Partial<ClaimOptions> = {}): Result<ClaimState> {
    const { book, devices, lastValue } = this.deps;
    if (!book.participant(participantId)) return unknownParticipant(participantId);
    if (this.claim) this.finish('cancelled', null);
    const baselines = new Map<DeviceId, number>();
    for (const d of devices.list()) {
      const v = lastValue(d.id, 'heartRate');
      if (v !== null) baselines.set(d.id, v);
    }
    this.claim = new Claim(participantId, { ...DEFAULT_CLAIM, ...stripUndefined(options) }, this.deps.now(), baselines);
    this.deps.changed();
    return ok(this.claim.state);
  }

  /** Cancel the claim in progress (if it is for `participantId`, when given). */
  cancel(participantId?: string): void {
    if (!this.claim || (participantId !== undefined && this.claim.state.participantId !== participantId)) return;
    this.finish('cancelled', null);
  }

  /** Offer a heart-rate reading; true when it claimed its strap (the sample is then used up). */
  offer(s: Sample): boolean {
    if (s.metric !== 'heartRate' || !this.claim?.offer(s.deviceId, s.tMs, s.value)) return false;
    this.finish('assigned', s.deviceId);
    return true;
  }

  /** End a claim whose time is up. */
  tick(atMs: number): void {
    if (this.claim?.isExpired(atMs)) this.finish('timeout', null);
  }

  private finish(outcome: ClaimOutcome, deviceId: DeviceId | null): void {
    const claim = this.claim;
    if (!claim) return;
    this.claim = null;
    const { book, devices, notice } = this.deps;
    const p = book.participant(claim.state.participantId);
    if (outcome === 'assigned' && deviceId && p) {
      const from = book.ownerOf(deviceId);
      book.apply(assignDevice(book.current, deviceId, p.id, 0)!);
      const name = devices.get(deviceId)?.name ?? deviceId;
      const moved = from && from.id !== p.id ? ` (moved from ${from.name})` : '';
      notice('info', `${name} is now ${p.name}'s strap${moved}.`);
    } else if (outcome === 'timeout') {
      notice('warning', `No strap claimed for ${p?.name ?? claim.state.participantId}: no heart rate rose by ${claim.state.riseBpm} bpm in time. Try again and ask the athlete to move.`);
    }
    this.deps.emitClaim({ participantId: claim.state.participantId, outcome, deviceId });
    this.deps.changed();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
