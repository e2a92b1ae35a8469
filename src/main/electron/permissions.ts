/**
 * Session permission handlers (docs/architecture.md "Security defaults"): grant only what the app uses, and
 * only to the app's own UI. Web Bluetooth itself is not one of Electron's permission types (its
 * chooser is `select-bluetooth-device`, see bluetoothChooser.ts), and ANT+ sticks are opened by the
 * host through `usb` in Node, so the renderer needs no WebUSB/WebHID/Web Serial device grants: the
 * default policy refuses every device. Everything from another origin is refused.
 */
import type { Session } from 'electron';

/** Permission names Electron passes to the request and check handlers. */
type RequestPermission = Parameters<NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>>[1];
type CheckPermission = Parameters<NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>>[1];
type DeviceType = Parameters<NonNullable<Parameters<Session['setDevicePermissionHandler']>[0]>>[0]['deviceType'];

/** What the app's UI may use. */
export interface PermissionPolicy {
  /** Granted on request (and reported as granted by the check handler). */
  readonly permissions: readonly (RequestPermission | CheckPermission)[];
  /** Device types (`hid`, `serial`, `usb`) the UI may be granted devices of. */
  readonly deviceTypes: readonly DeviceType[];
}

/** The app's policy: full screen for the class display and copying roster CSV; no device grants. */
export const APP_PERMISSION_POLICY: PermissionPolicy = {
  permissions: ['fullscreen', 'clipboard-sanitized-write'],
  deviceTypes: [],
};

/**
 * Whether `urlOrOrigin` belongs to the app's own UI (`appUrl`: `app://sensor-relay/…`, or the dev
 * server in development): same scheme, host and port. Compared by hand because the WHATWG URL
 * parser reports the origin of custom schemes as "null". `file://` is never the app's origin.
 */
export function isAppOrigin(urlOrOrigin: string, appUrl: string): boolean {
  let app: URL;
  let u: URL;
  try {
    app = new URL(appUrl);
    u = new URL(urlOrOrigin);
  } catch {
    return false; // not a URL: not ours
  }
  if (app.protocol === 'file:' || u.protocol === 'file:' || app.host === '') return false;
  return u.protocol === app.protocol && u.host === app.host;
}

/** Install the request, check and device handlers on `session`. */
export function installPermissionHandlers(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
  appUrl: string,
  policy: PermissionPolicy = APP_PERMISSION_POLICY,
): void {
  const allowed = new Set<string>(policy.permissions);
  const deviceTypes = new Set<string>(policy.deviceTypes);
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl || contents.getURL();
    callback(allowed.has(permission) && isAppOrigin(url, appUrl) && isAppOrigin(contents.getURL(), appUrl));
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin) => {
    if (!allowed.has(permission) || !isAppOrigin(requestingOrigin, appUrl)) return false;
    return contents === null || isAppOrigin(contents.getURL(), appUrl);
  });
  session.setDevicePermissionHandler((details) => deviceTypes.has(details.deviceType) && isAppOrigin(details.origin, appUrl));
}
