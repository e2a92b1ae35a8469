/** The host's event bus to connected UIs: typed on the event map, fanned out to every transport. */
import type { EventName, EventPayload } from '../shared/contract';

/** A connected UI (an Electron window or a web-mode WebSocket). */
export interface UiConnection {
  readonly id: string;
  send(name: EventName, payload: unknown): void;
}

/** Broadcasts events to every connected UI. */
export class UiEvents {
  private readonly connections = new Map<string, UiConnection>();

  /** Register a UI; returns the function that unregisters it. */
  add(connection: UiConnection): () => void {
    this.connections.set(connection.id, connection);
    return () => this.connections.delete(connection.id);
  }

  /** Number of connected UIs. */
  get size(): number {
    return this.connections.size;
  }

  /** Send an event to every UI. */
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const c of this.connections.values()) c.send(name, payload);
  }
}
