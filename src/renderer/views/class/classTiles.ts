/**
 * The class display's live part, outside React: one frame-loop callback updates every athlete's
 * tile — heart rate, % of max, zone colour, which sensor supplies HR (and whether it is the
 * backup), NO SIGNAL with last seen, and the trend line — writing to the DOM only what changed.
 * React renders the tiles' structure once per roster change and registers their elements here.
 */
import type { DeviceId } from '../../../shared/device';
import { METRICS } from '../../../shared/metrics';
import type { Participant } from '../../../shared/roster/participant';
import { lastSource, selectSource } from '../../../shared/roster/selectSource';
import { percentOfMax, zoneBoundsBpm, zoneWithHysteresis, ZONES } from '../../../shared/roster/zones';
import { onFrame } from '../../live/frameLoop';
import type { LiveData } from '../../live/liveData';
import type { RingBuffer } from '../../live/ringBuffer';
import { drawSparkline, SPARK_WINDOW_MS } from './sparkline';

/** Elements of one tile. */
export interface TileElements {
  readonly root: HTMLElement;
  readonly hr: HTMLElement;
  readonly pct: HTMLElement;
  readonly zone: HTMLElement;
  readonly source: HTMLElement;
  readonly lastSeen: HTMLElement;
  readonly canvas: HTMLCanvasElement;
}

interface Tile {
  participant: Participant;
  bounds: readonly number[] | null;
  readonly els: TileElements;
  state: string;
  hrText: string;
  pctText: string;
  zone: number | null;
  sourceText: string;
  lastSeenText: string;
  drawnVersion: number;
  drawnAtMs: number;
  drawnDevice: DeviceId | null;
  canvasW: number;
  canvasH: number;
}

const HR_GAP_MS = (METRICS.heartRate.staleAfterMs ?? 5000) + 250;
/** The trend line scrolls at least this often even without new readings. */
const SCROLL_EVERY_MS = 1000;
/** A new reading redraws the trend line at most this often. */
const REDRAW_MIN_MS = 200;

/** Live updater of every tile. */
export class ClassTiles {
  private readonly tiles = new Map<string, Tile>();
  private readonly rings = new Map<DeviceId, RingBuffer>();
  private stop: (() => void) | null = null;
  private readonly lastSeen = (d: DeviceId): number | null => {
    const ring = this.ringOf(d);
    return ring && ring.length > 0 ? ring.timeAt(ring.length - 1) : null;
  };

  constructor(
    private readonly live: LiveData,
    private readonly deviceName: (deviceId: DeviceId) => string,
    private readonly toHostTime: (localMs: number) => number = (t) => t,
  ) {}

  private clockEl: HTMLElement | null = null;
  private classStartMs: number | null = null;
  private clockText = '';

  /** Where to show the class timer (elapsed since `startedAtMs`, or the time of day without a class). */
  setClock(el: HTMLElement | null, startedAtMs: number | null): void {
    this.clockEl = el;
    this.classStartMs = startedAtMs;
    this.clockText = '';
  }

  /** Register (or refresh) a tile. */
  set(participant: Participant, els: TileElements): void {
    const existing = this.tiles.get(participant.id);
    if (existing && existing.els.root === els.root) {
      existing.participant = participant;
      existing.bounds = zoneBoundsBpm(participant);
      existing.hrText = existing.sourceText = existing.state = '';
      existing.drawnVersion = -1;
      return;
    }
    this.tiles.set(participant.id, {
      participant,
      bounds: zoneBoundsBpm(participant),
      els,
      state: '',
      hrText: '',
      pctText: '',
      zone: -1,
      sourceText: '',
      lastSeenText: '',
      drawnVersion: -1,
      drawnAtMs: 0,
      drawnDevice: null,
      canvasW: 0,
      canvasH: 0,
    });
  }

  /** Forget a tile. */
  delete(participantId: string): void {
    this.tiles.delete(participantId);
  }

  /** Canvas sizes changed (layout): resize backing stores on the next frame. */
  invalidateSizes(): void {
    for (const t of this.tiles.values()) {
      t.canvasW = 0;
      t.drawnVersion = -1;
    }
  }

  /** Start updating from the frame loop; returns the stop function. */
  start(): () => void {
    this.stop?.();
    this.stop = onFrame((now) => this.frame(now));
    return () => {
      this.stop?.();
      this.stop = null;
    };
  }

  /** Update every tile for time `nowMs`. */
  frame(localMs: number): void {
    const nowMs = this.toHostTime(localMs);
    for (const t of this.tiles.values()) this.update(t, nowMs);
    if (this.clockEl) {
      const text = this.classStartMs === null ? timeOfDay(nowMs) : elapsed(nowMs - this.classStartMs);
      if (text !== this.clockText) {
        this.clockText = text;
        this.clockEl.textContent = text;
      }
    }
  }

  private ringOf(deviceId: DeviceId): RingBuffer | null {
    const cached = this.rings.get(deviceId);
    if (cached) return cached;
    if (this.live.latest(deviceId, 'heartRate') === null) return null;
    const ring = this.live.ring(deviceId, 'heartRate');
    this.rings.set(deviceId, ring);
    return ring;
  }

  private update(t: Tile, nowMs: number): void {
    const p = t.participant;
    const active = selectSource(p.deviceIds, 'heartRate', this.lastSeen, nowMs);
    let deviceForTrend: DeviceId | null;
    if (active) {
      const ring = this.ringOf(active.deviceId)!;
      const hr = ring.valueAt(ring.length - 1);
      this.setState(t, 'live');
      this.setText(t, 'hrText', t.els.hr, String(Math.round(hr)));
      const pct = percentOfMax(hr, p.maxHrBpm);
      this.setText(t, 'pctText', t.els.pct, pct === null ? '' : `${pct}%`);
      this.setZone(t, zoneWithHysteresis(hr, t.bounds, t.zone === -1 ? null : t.zone));
      const name = this.deviceName(active.deviceId);
      this.setText(t, 'sourceText', t.els.source, active.isBackup ? `HR from ${name} (backup)` : `HR from ${name}`);
      if (t.els.root.dataset.backup !== String(active.isBackup)) t.els.root.dataset.backup = String(active.isBackup);
      this.setText(t, 'lastSeenText', t.els.lastSeen, '');
      deviceForTrend = active.deviceId;
    } else {
      const last = lastSource(p.deviceIds, 'heartRate', this.lastSeen);
      this.setState(t, last ? 'nosignal' : 'waiting');
      this.setText(t, 'hrText', t.els.hr, '--');
      this.setText(t, 'pctText', t.els.pct, '');
      this.setZone(t, null);
      this.setText(t, 'sourceText', t.els.source, last ? 'NO SIGNAL' : 'waiting for sensor');
      this.setText(t, 'lastSeenText', t.els.lastSeen, last ? `last seen ${ago(nowMs - last.tMs)}` : '');
      deviceForTrend = last?.deviceId ?? null;
    }
    this.drawTrend(t, deviceForTrend, nowMs);
  }

  private drawTrend(t: Tile, deviceId: DeviceId | null, nowMs: number): void {
    const ring = deviceId ? this.ringOf(deviceId) : null;
    const version = ring?.version ?? -1;
    const isNewData = version !== t.drawnVersion || deviceId !== t.drawnDevice;
    const since = nowMs - t.drawnAtMs;
    if (!(isNewData && since >= REDRAW_MIN_MS) && since < SCROLL_EVERY_MS) return;
    if (!isNewData && ring && ring.length > 0 && nowMs - ring.timeAt(ring.length - 1) > SPARK_WINDOW_MS) return;
    const c = t.els.canvas;
    if (t.canvasW === 0) {
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      t.canvasW = Math.max(1, Math.round(c.clientWidth * dpr));
      t.canvasH = Math.max(1, Math.round(c.clientHeight * dpr));
      c.width = t.canvasW;
      c.height = t.canvasH;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    drawSparkline(ctx, ring, nowMs, t.canvasW, t.canvasH, HR_GAP_MS, 'rgba(255,255,255,0.85)');
    t.drawnVersion = version;
    t.drawnDevice = deviceId;
    t.drawnAtMs = nowMs;
  }

  private setState(t: Tile, state: string): void {
    if (t.state === state) return;
    t.state = state;
    t.els.root.dataset.state = state;
  }

  private setZone(t: Tile, zone: number | null): void {
    if (t.zone === zone) return;
    t.zone = zone;
    t.els.root.dataset.zone = zone === null ? 'none' : String(zone);
    t.els.zone.textContent = zone === null ? '' : zone === 0 ? '' : `Z${zone}`;
    t.els.zone.title = zone === null ? '' : ZONES[zone]!.name;
  }

  private setText(t: Tile, key: 'hrText' | 'pctText' | 'sourceText' | 'lastSeenText', el: HTMLElement, text: string): void {
    if (t[key] === text) return;
    t[key] = text;
    el.textContent = text;
  }
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

function timeOfDay(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
