/**
 * The app-managed permission store: the BLE sensors the user granted once, so they reconnect on
 * the next launch. Electron keeps Web Bluetooth grants only in memory (docs/web-bluetooth.md
 * §1.3), so the app remembers {id, name, kind} itself, through a small key–value storage the caller
 * provides (localStorage in the browser, host settings in Electron).
 */
import { z } from 'zod';
import { BLE_KINDS, type BleKind } from '../../shared/ble/profiles';

/** One remembered sensor. */
export interface KnownDevice {
  /** Web Bluetooth device id (may change across restarts in Electron; the name is the fallback). */
  readonly id: string;
  readonly name: string;
  readonly kind: BleKind;
}

/** The storage the store writes to (`localStorage` satisfies it). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const knownListSchema = z.array(
  z.object({ id: z.string().min(1).max(200), name: z.string().max(200), kind: z.enum(BLE_KINDS) }),
);

/** Storage key of the list. */
export const KNOWN_DEVICES_KEY = 'sensorRelay.ble.knownDevices';

/** An in-memory {@link KeyValueStorage} (tests, or when the page has no storage). */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

/** The remembered sensors. */
export class KnownDevices {
  /** Set when the stored list could not be read (it is then treated as empty and rewritten). */
  loadError: string | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key = KNOWN_DEVICES_KEY,
  ) {}

  /** Every remembered sensor. */
  list(): KnownDevice[] {
    const raw = this.storage.getItem(this.key);
    if (raw === null) return [];
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      this.loadError = `Remembered Bluetooth sensors could not be read (${(err as Error).message}); add them again.`;
      return [];
    }
    const parsed = knownListSchema.safeParse(json);
    if (!parsed.success) {
      this.loadError = 'Remembered Bluetooth sensors are in an unknown format; add them again.';
      return [];
    }
    return parsed.data;
  }

  /** Remember a sensor (replaces an entry with the same id, or the same name and kind). */
  remember(device: KnownDevice): void {
    const rest = this.list().filter((d) => d.id !== device.id && !(d.name === device.name && d.kind === device.kind && d.name !== ''));
    this.storage.setItem(this.key, JSON.stringify([...rest, device]));
  }

  /** Forget a sensor by Web Bluetooth id. */
  forget(id: string): void {
    this.storage.setItem(this.key, JSON.stringify(this.list().filter((d) => d.id !== id)));
  }

  /** The remembered entry for a Web Bluetooth id. */
  find(id: string): KnownDevice | undefined {
    return this.list().find((d) => d.id === id);
  }
}
