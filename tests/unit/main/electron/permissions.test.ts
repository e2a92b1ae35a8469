/**
 * Session permission handlers with a mocked `electron`: only the permissions the app uses, only for
 * the app's own UI (built file or dev server); other origins, other permissions and device grants
 * are refused.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { FakeSession } from '../../../support/electronFake';

vi.mock('electron', async () => (await import('../../../support/electronFake')).electronModule());

const { APP_PERMISSION_POLICY, installPermissionHandlers, isAppOrigin } = await import('../../../../src/main/electron/permissions');

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type DeviceHandler = Parameters<Session['setDevicePermissionHandler']>[0];

function install(appUrl: string, policy = APP_PERMISSION_POLICY) {
  const session = new FakeSession();
  installPermissionHandlers(session, appUrl, policy);
  const request: RequestHandler = session.permissionRequest;
  const check: CheckHandler = session.permissionCheck;
  const device: DeviceHandler = session.devicePermission;
  const contents = (url: string) => ({ getURL: () => url }) as unknown as WebContents;
  return {
    request(url: string, permission: Parameters<NonNullable<RequestHandler>>[1], requestingUrl = url): boolean {
      let granted: boolean | null = null;
      request!(contents(url), permission, (g) => (granted = g), { requestingUrl, isMainFrame: true } as never);
      if (granted === null) throw new Error('callback not called');
      return granted;
    },
    check: (url: string | null, permission: Parameters<NonNullable<CheckHandler>>[1], origin: string) =>
      check!(url === null ? null : contents(url), permission, origin, {} as never),
    device: (deviceType: 'hid' | 'serial' | 'usb', origin: string) => device!({ deviceType, origin, device: {} as never }),
  };
}

const DEV = 'http://localhost:5173/';
const APP = 'app://sensor-relay/index.html';
const FILE = 'file:///opt/sensor-relay/resources/app/out/renderer/index.html';

describe('permission handlers', () => {
  it('grant the permissions the app uses to its own UI', () => {
    const h = install(DEV);
    expect(h.request(DEV, 'fullscreen')).toBe(true);
    expect(h.request(`${DEV}#/class`, 'clipboard-sanitized-write')).toBe(true);
    expect(h.check(DEV, 'fullscreen', 'http://localhost:5173')).toBe(true);
    const a = install(APP);
    expect(a.request(APP, 'fullscreen')).toBe(true);
    expect(a.request('app://sensor-relay/index.html#/class', 'clipboard-sanitized-write')).toBe(true);
    expect(a.check(APP, 'fullscreen', 'app://sensor-relay')).toBe(true);
  });

  it('refuse every other permission, even to the app', () => {
    const h = install(DEV);
    for (const p of ['geolocation', 'media', 'notifications', 'clipboard-read', 'openExternal', 'midiSysex', 'display-capture'] as const) {
      expect(h.request(DEV, p), p).toBe(false);
    }
    for (const p of ['hid', 'serial', 'usb', 'geolocation', 'media'] as const) expect(h.check(DEV, p, 'http://localhost:5173'), p).toBe(false);
  });

  it('refuse other origins, including a page of the app asking on behalf of another origin', () => {
    const h = install(DEV);
    expect(h.request('https://evil.example/', 'fullscreen')).toBe(false);
    expect(h.request('http://localhost:5174/', 'fullscreen')).toBe(false);
    expect(h.request(DEV, 'fullscreen', 'https://evil.example/frame')).toBe(false);
    expect(h.check(DEV, 'fullscreen', 'https://evil.example')).toBe(false);
    expect(h.check('https://evil.example/', 'fullscreen', 'http://localhost:5173')).toBe(false);
    const a = install(APP);
    expect(a.request('file:///home/user/Downloads/page.html', 'fullscreen')).toBe(false);
    expect(a.request('app://other-host/index.html', 'fullscreen')).toBe(false);
    expect(a.check(APP, 'fullscreen', 'file://')).toBe(false);
    expect(a.check('file:///opt/x.html', 'fullscreen', 'app://sensor-relay')).toBe(false);
  });

  it('grant no WebUSB/WebHID/Web Serial devices by default (ANT+ sticks are opened by the host)', () => {
    const h = install(DEV);
    for (const t of ['hid', 'serial', 'usb'] as const) expect(h.device(t, 'http://localhost:5173'), t).toBe(false);
  });

  it('a policy that allows a device type still refuses it to other origins', () => {
    const h = install(DEV, { permissions: [], deviceTypes: ['usb'] });
    expect(h.device('usb', 'http://localhost:5173')).toBe(true);
    expect(h.device('usb', 'https://evil.example')).toBe(false);
    expect(h.device('hid', 'http://localhost:5173')).toBe(false);
  });

  it('recognise the app origin for the app scheme and the dev server; never bare file://, nothing unparsable', () => {
    expect(isAppOrigin('app://sensor-relay', APP)).toBe(true);
    expect(isAppOrigin('app://sensor-relay/assets/index.js', APP)).toBe(true);
    expect(isAppOrigin('app://evil/index.html', APP)).toBe(false);
    expect(isAppOrigin('file://', APP)).toBe(false);
    expect(isAppOrigin('file:///etc/passwd', APP)).toBe(false);
    // even an app configured with a file URL grants nothing to file:// pages
    expect(isAppOrigin('file://', FILE)).toBe(false);
    expect(isAppOrigin(FILE, FILE)).toBe(false);
    expect(isAppOrigin('http://localhost:5173', DEV)).toBe(true);
    expect(isAppOrigin('http://127.0.0.1:5173', DEV)).toBe(false);
    expect(isAppOrigin('not a url', DEV)).toBe(false);
  });
});
