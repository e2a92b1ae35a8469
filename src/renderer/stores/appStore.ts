/**
 * Slow state only (zustand, one slice per feature): host info and link, devices, notices,
 * view settings. Live numbers never go here; they live in `live/liveData.ts`.
 */
import { create } from 'zustand';
import type { CommandResult, EventPayload } from '../../shared/contract';
import type { DeviceInfo } from '../../shared/device';
import type { LinkState } from '../contract/client';

type Notice = EventPayload<'notice'>;

/** Chart windows the user can pick, in seconds. */
export const CHART_WINDOWS_S = [30, 60, 120, 600] as const;

interface HostSlice {
  hostInfo: CommandResult<'host.info'> | null;
  /** Whether the Bluetooth runtime has started (after the first host info). */
  isBleReady: boolean;
  setBleReady(isReady: boolean): void;
  link: LinkState;
  /** Whether the page has been connected to the host at least once. */
  wasConnected: boolean;
  setHostInfo(info: CommandResult<'host.info'>): void;
  setLink(link: LinkState): void;
}

interface DevicesSlice {
  devices: DeviceInfo[];
  setDevices(devices: DeviceInfo[]): void;
}

interface NoticesSlice {
  notices: Notice[];
  addNotice(notice: Notice): void;
  dismissNotice(tMs: number): void;
}

interface SettingsSlice {
  /** Whether the single key M adds a marker (researchers typing notes elsewhere may turn it off); kept per browser. */
  isMarkerKeyEnabled: boolean;
  setMarkerKeyEnabled(isEnabled: boolean): void;
}

/** localStorage key of {@link SettingsSlice.isMarkerKeyEnabled}. */
export const MARKER_KEY_SETTING = 'sensorRelay.markerKey';

function readMarkerKeySetting(): boolean {
  try {
    return typeof localStorage === 'undefined' || localStorage.getItem(MARKER_KEY_SETTING) !== 'off';
  } catch (err) {
    console.warn(`Settings unavailable (${(err as Error).message}); the M marker key stays on`);
    return true;
  }
}

function writeMarkerKeySetting(isEnabled: boolean): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(MARKER_KEY_SETTING, isEnabled ? 'on' : 'off');
  } catch (err) {
    console.warn(`Settings unavailable (${(err as Error).message}); the M marker key setting lasts for this page only`);
  }
}

interface ViewSlice {
  view: string;
  chartWindowS: (typeof CHART_WINDOWS_S)[number];
  setView(view: string): void;
  setChartWindow(s: (typeof CHART_WINDOWS_S)[number]): void;
}

/** The whole store type. */
export type AppState = HostSlice & DevicesSlice & NoticesSlice & ViewSlice & SettingsSlice;

/** The app store. */
export const useAppStore = create<AppState>()((set) => ({
  hostInfo: null,
  isBleReady: false,
  setBleReady: (isBleReady) => set({ isBleReady }),
  link: 'connecting',
  setHostInfo: (hostInfo) => set({ hostInfo }),
  setLink: (link) => set((s) => ({ link, wasConnected: s.wasConnected || link === 'open' })),
  wasConnected: false,
  devices: [],
  setDevices: (devices) => set({ devices }),
  notices: [],
  addNotice: (notice) => set((s) => ({ notices: [...s.notices.slice(-4), notice] })),
  dismissNotice: (tMs) => set((s) => ({ notices: s.notices.filter((n) => n.tMs !== tMs) })),
  view: 'live',
  chartWindowS: 60,
  setView: (view) => set({ view }),
  setChartWindow: (chartWindowS) => set({ chartWindowS }),
  isMarkerKeyEnabled: readMarkerKeySetting(),
  setMarkerKeyEnabled: (isMarkerKeyEnabled) => {
    writeMarkerKeySetting(isMarkerKeyEnabled);
    set({ isMarkerKeyEnabled });
  },
}));
