/**
 * A simulated USB bus holding simulated sticks, with plug/unplug as hot-plug events — the {@link AntBus} seam the
 * ANT service uses, so hot-plug behaviour is tested without hardware.
 */
import type { AntBus, AntTransport } from '../transport';
import type { SimAntStick } from './simStick';

/** The simulated bus. */
export class SimAntBus implements AntBus {
  private readonly sticks = new Map<string, SimAntStick>();
  private readonly present = new Set<string>();
  private readonly attachListeners = new Set<(t: AntTransport) => void>();
  private readonly detachListeners = new Set<(key: string) => void>();

  /** Plug a stick in (first time or again). */
  plug(stick: SimAntStick): void {
    this.sticks.set(stick.descriptor.key, stick);
    stick.plug();
    this.present.add(stick.descriptor.key);
    for (const fn of this.attachListeners) fn(stick);
  }

  /** Pull a stick out. */
  unplug(key: string): void {
    const stick = this.sticks.get(key);
    if (!stick || !this.present.delete(key)) return;
    stick.unplug();
    for (const fn of this.detachListeners) fn(key);
  }

  /** Advance every plugged stick to `tMs`. */
  advanceTo(tMs: number): void {
    for (const key of this.present) this.sticks.get(key)!.advanceTo(tMs);
  }

  /** Every stick ever plugged (present or not). */
  all(): SimAntStick[] {
    return [...this.sticks.values()];
  }

  list(): AntTransport[] {
    return [...this.present].map((k) => this.sticks.get(k)!);
  }

  onAttach(fn: (t: AntTransport) => void): () => void {
    this.attachListeners.add(fn);
    return () => this.attachListeners.delete(fn);
  }

  onDetach(fn: (key: string) => void): () => void {
    this.detachListeners.add(fn);
    return () => this.detachListeners.delete(fn);
  }
}
