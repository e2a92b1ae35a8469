/**
 * Per-profile / per-channel views of one stick. ant-plus-next gives every sensor and scanner a `read` listener on
 * the stick, and each one parses every frame (~10 µs per listener per frame here): with a scanner per profile,
 * scan mode spent most of its time on frames meant for another profile. A {@link StickView} is a
 * `USBDriverBase` that delegates everything to the driver but only re-emits the frames routed to it — by the
 * extended-data device type in scan mode, by channel in paired mode — so each frame is parsed by one library object.
 * Frames without a route (handshake, stick-wide events) go to every view.
 */
import { EventEmitter } from 'node:events';
import type { BaseSensor, USBDriverBase } from 'ant-plus-next';
import { EXT_FLAG, EXT_FLAG_OFFSET } from '../../shared/ant/extended';
import { MSG } from '../../shared/ant/messages';
import type { AntStickDriver } from './driver';

/** Routing key of a frame, or -1 for "every view". */
export type RouteKey = (frame: Uint8Array) => number;

/** Scan mode: data frames by extended-data device type. */
export function byDeviceType(frame: Uint8Array): number {
  const id = frame[2];
  if ((id === MSG.broadcastData || id === MSG.acknowledgedData || id === MSG.burstData) && frame[1]! >= 14 && frame[EXT_FLAG_OFFSET]! & EXT_FLAG.channelId) {
    return frame[EXT_FLAG_OFFSET + 3]!;
  }
  return -1;
}

/** Paired mode: data, channel events and channel-ID replies by channel. */
export function byChannel(frame: Uint8Array): number {
  const id = frame[2];
  if (id === MSG.broadcastData || id === MSG.acknowledgedData || id === MSG.burstData || id === MSG.channelEvent || id === MSG.channelId) return frame[3]!;
  return -1;
}

/** A view of the stick for the library objects of one route. */
export class StickView extends EventEmitter implements USBDriverBase {
  constructor(private readonly driver: AntStickDriver) {
    super();
    this.setMaxListeners(100);
  }
  get usedChannels(): number {
    return this.driver.usedChannels;
  }
  set usedChannels(v: number) {
    this.driver.usedChannels = v;
  }
  get maxChannels(): number {
    return this.driver.maxChannels;
  }
  set maxChannels(v: number) {
    this.driver.maxChannels = v;
  }
  open(): Promise<boolean> {
    return this.driver.open();
  }
  close(): Promise<void> {
    return this.driver.close();
  }
  read(data: Uint8Array): Promise<void> {
    return this.driver.read(data);
  }
  write(data: Uint8Array): Promise<void> {
    return this.driver.write(data);
  }
  reset(): Promise<void> {
    return this.driver.reset();
  }
  attach(sensor: BaseSensor, forScan: boolean): Promise<boolean> {
    return this.driver.attach(sensor, forScan);
  }
  detach(sensor: BaseSensor): Promise<boolean> {
    return this.driver.detach(sensor);
  }
  isPresent(): Promise<boolean> {
    return this.driver.isPresent();
  }
  isScanning(): Promise<boolean> {
    return this.driver.isScanning();
  }
  canScan(): Promise<boolean> {
    return this.driver.canScan();
  }
  canAttach(): Promise<boolean> {
    return this.driver.canAttach();
  }
}

/** Routes the driver's frames to views. */
export class FrameRouter {
  private readonly views = new Map<number, StickView>();
  private readonly all: StickView[] = [];
  private readonly listener = (frame: Uint8Array): void => {
    const key = this.route(frame);
    const view = key >= 0 ? this.views.get(key) : undefined;
    if (view) view.emit('read', frame);
    else if (key < 0) for (const v of this.all) v.emit('read', frame);
  };

  constructor(
    private readonly driver: AntStickDriver,
    private readonly route: RouteKey,
  ) {
    driver.on('read', this.listener);
  }

  /** The view for one route key (created on first use). */
  view(key: number): StickView {
    let v = this.views.get(key);
    if (!v) {
      v = new StickView(this.driver);
      this.views.set(key, v);
      this.all.push(v);
    }
    return v;
  }

  /** Stop routing (the session ends). */
  dispose(): void {
    this.driver.off('read', this.listener);
  }
}
