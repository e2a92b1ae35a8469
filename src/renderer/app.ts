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
  client.on('devices', ({ devices }) => useAppStore.getState().setDevices(devices));
  client.on('notice', (n) => useAppStore.getState().addNotice(n));
  client.on('clockPing', ({ pingId }) => {
    void client.call('clock.pong', { pingId, clientMs: performance.timeOrigin + performance.now() });
  });
  const refresh = async (): Promise<void> => {
    // charts start from the host's last 10 minutes (after a reload, or after the host came back)
    void client.call('samples.recent', {}).then((r) => {
      if (r.ok) live.loadHistory(r.value.series);
    });
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
  });
  store.setLink(client.linkState);
  if (client.linkState === 'open') void refresh();
}
