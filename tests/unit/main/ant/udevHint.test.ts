/**
 * The permission error names the udev rule the running app carries: in an installed app (the
 * AppImage's mount, the deb's /opt folder) the copy next to app.asar, quoted because the install
 * folder has a space; in a checkout the repository's file.
 */
import { describe, expect, it } from 'vitest';
import { shippedUdevRulePath, udevHint } from '../../../../src/main/ant/usbErrors';

describe('udev rule hint', () => {
  it('points at the packaged rule when the app is installed', () => {
    const appImage = '/tmp/.mount_SensorAbc123/resources';
    const path = shippedUdevRulePath(appImage, (p) => p === `${appImage}/udev/51-garmin-ant.rules`);
    expect(path).toBe('/tmp/.mount_SensorAbc123/resources/udev/51-garmin-ant.rules');
    expect(udevHint('/opt/Sensor Relay/resources/udev/51-garmin-ant.rules')).toContain(
      "sudo cp '/opt/Sensor Relay/resources/udev/51-garmin-ant.rules' /etc/udev/rules.d/ && sudo udevadm control --reload-rules",
    );
  });

  it('falls back to the repository file in a checkout or under plain Node', () => {
    expect(shippedUdevRulePath(undefined)).toBe('resources/udev/51-garmin-ant.rules');
    expect(shippedUdevRulePath('/work/node_modules/electron/dist/resources', () => false)).toBe('resources/udev/51-garmin-ant.rules');
  });
});
