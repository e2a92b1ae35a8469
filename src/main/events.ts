/**
 * The host's one registry of connected UIs: typed on the event map, it fans events out to every
 * transport (Electron window, web-mode WebSocket) or sends one to a single UI (clock pings).
 */
import type { EventName, EventPayload } from '../shared/contract';
import { nowMs } from '../shared/sample';

/** A connected UI (an Electron window or a web-mode WebSocket). */
export interface UiConnection {
  readonly id: string;
  send(name: EventName, payload: unknown): void;
}

/** Severity of a notice the user sees. */
export type NoticeLevel = 'info' | 'warning' | 'error';

/** Broadcasts events to every connected UI. */
export class UiEvents {
  private readonly connections = new Map<string, UiConnection>();

  constructor(private readonly now: () => number = nowMs) {}

  /** Register a UI; returns the function that unregisters it. */
  add(connection: UiConnection): () => void {
    this.connections.set(connection.id, connection);
    return () => this.connections.delete(connection.id);
  }

  /** Number of connected UIs. */
  get size(): number {
    return this.connections.size;
  }

  /** Ids of the connected UIs. */
  ids(): string[] {
    return [...this.connections.keys()];
  }

  /** Send an event to every UI. */
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const c of this.connections.values()) c.send(name, payload);
  }

  /** Send an event to one UI; false when it is not connected (any more). */
  sendTo<K extends EventName>(id: string, name: K, payload: EventPayload<K>): boolean {
    const c = this.connections.get(id);
    if (!c) return false;
    c.send(name, payload);
    return true;
  }

  /** Tell every UI about something the user should see: a sentence, and the code for programs. */
  notice(level: NoticeLevel, message: string, code?: string): void {
    this.emit('notice', { level, message, code, tMs: this.now() });
  }
}
