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

interface ViewSlice {
  view: string;
  chartWindowS: (typeof CHART_WINDOWS_S)[number];
  setView(view: string): void;
  setChartWindow(s: (typeof CHART_WINDOWS_S)[number]): void;
}

/** The whole store type. */
export type AppState = HostSlice & DevicesSlice & NoticesSlice & ViewSlice;

/** The app store. */
export const useAppStore = create<AppState>()((set) => ({
  hostInfo: null,
  isBleReady: false,
  setBleReady: (isBleReady) => set({ isBleReady }),
  link: 'connecting',
  setHostInfo: (hostInfo) => set({ hostInfo }),
  setLink: (link) => set({ link }),
  devices: [],
  setDevices: (devices) => set({ devices }),
  notices: [],
  addNotice: (notice) => set((s) => ({ notices: [...s.notices.slice(-4), notice] })),
  dismissNotice: (tMs) => set((s) => ({ notices: s.notices.filter((n) => n.tMs !== tMs) })),
  view: 'live',
  chartWindowS: 60,
  setView: (view) => set({ view }),
  setChartWindow: (chartWindowS) => set({ chartWindowS }),
}));
