/**
 * The renderer's singletons: the host client, the live data and the wiring between them and the
 * store. Created once at start-up.
 */
import { createHostClient, type HostClient } from './contract/client';
import { LiveData } from './live/liveData';
import { useAppStore } from './stores/appStore';
import { installTestControl } from './testControl';
import { installMarkerShortcut } from './markerShortcut';
import { startBleForHost, type BleRuntime } from './ble/bleRuntime';
import { useAppStore as appStore } from './stores/appStore';
import { SPARK_WINDOW_MS } from './views/class/sparkline';

/** The host client of this page. */
export let client: HostClient;
/** Web Bluetooth (real, or simulated peripherals in sim mode); null until the host answered. */
export let ble: BleRuntime | null = null;
/** The live data of this page. */
export const live = new LiveData();

/** Connect to the host and wire events into the stores. */
export function startApp(): void {
  client = createHostClient();
  installMarkerShortcut(client);
  const store = useAppStore.getState();
  client.on('samples', ({ samples }) => live.ingest(samples));
  client.on('deviceEvent', (e) => live.applyHubEvent(e));
  client.on('devices', ({ devices }) => useAppStore.getState().setDevices(devices));
  client.on('notice', (n) => useAppStore.getState().addNotice(n));
  client.on('clockPing', ({ pingId }) => {
    void client.call('clock.pong', { pingId, clientMs: performance.timeOrigin + performance.now() });
  });
  // charts start from the host's recent history (after a reload, or after the host came back): as
  // much as the charts show (the class TV's trend is 2 min), more when a longer window is picked
  const historyMs = (): number => Math.max(useAppStore.getState().chartWindowS * 1000, SPARK_WINDOW_MS);
  let loadedHistoryMs = 0;
  const loadHistory = (windowMs: number): void => {
    loadedHistoryMs = Math.max(loadedHistoryMs, windowMs);
    void client.call('samples.recent', { windowMs }).then((r) => {
      if (r.ok) live.loadHistory(r.value.series);
    });
  };
  useAppStore.subscribe((s, prev) => {
    if (s.chartWindowS !== prev.chartWindowS && historyMs() > loadedHistoryMs && client.linkState === 'open') loadHistory(historyMs());
  });
  const refresh = async (): Promise<void> => {
    loadedHistoryMs = 0;
    loadHistory(historyMs());
    const info = await client.call('host.info', {});
    if (info.ok) {
      useAppStore.getState().setHostInfo(info.value);
      if (info.value.isTestControlEnabled) installTestControl(client, live);
      if (!ble) {
        ble = startBleForHost(client, info.value);
        appStore.getState().setBleReady(true);
      }
    }
    const devices = await client.call('devices.list', {});
    if (devices.ok) useAppStore.getState().setDevices(devices.value);
  };
  client.onState((state) => {
    useAppStore.getState().setLink(state);
    if (state === 'open') void refresh();
    else live.markAllNotCurrent(); // without the host nothing shown is current (docs/staleness.md)
  });
  store.setLink(client.linkState);
  if (client.linkState === 'open') void refresh();
}
