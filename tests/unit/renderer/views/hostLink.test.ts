/**
 * Regression (issue 15 item 2, and the small "battery badge has no label"): when the host stopped,
 * every tile kept a green `live` badge and only a small header badge said so. Now every tile shows
 * `host offline` (never `live`) and the page says what to do; when the host is back the tiles return
 * to their own status and the banner goes away.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../../../src/shared/device';
import { DeviceTile } from '../../../../src/renderer/views/DeviceTile';
import { HostLostBanner } from '../../../../src/renderer/views/HostLostBanner';

const STRAP: DeviceInfo = { id: 'sim:strap', name: 'Strap A', kind: 'hr', source: 'sim', status: 'live', lastSeenMs: 1, batteryPct: 64, contact: null, isSimulated: true };

describe('host link on the live page', () => {
  it('a live device is shown "host offline", dimmed, while the host is gone, and live again when it is back', () => {
    const gone = renderToStaticMarkup(createElement(DeviceTile, { device: STRAP, isHostLinked: false }));
    expect(gone).toContain('data-status="host-offline"');
    expect(gone).toContain('>host offline</span>');
    expect(gone).not.toContain('>live</span>');
    expect(gone).toContain('tile-primary is-dimmed');
    expect(gone).toContain('aria-label="Strap A, host offline"');
    const back = renderToStaticMarkup(createElement(DeviceTile, { device: STRAP, isHostLinked: true }));
    expect(back).toContain('data-status="live"');
    expect(back).toContain('>live</span>');
  });

  it('the battery badge says what it is without hovering', () => {
    expect(renderToStaticMarkup(createElement(DeviceTile, { device: STRAP }))).toMatch(/data-testid="battery-badge">battery (<!-- -->)?64(<!-- -->)?%</);
  });

  it('the page says the host is gone and what to do, only after it had been connected', () => {
    const html = renderToStaticMarkup(createElement(HostLostBanner, { link: 'closed', wasConnected: true, mode: 'web' }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('Lost the connection to the Sensor Relay host.');
    expect(html).toContain('npm run web');
    expect(html).toContain('reconnects by itself');
    expect(renderToStaticMarkup(createElement(HostLostBanner, { link: 'connecting', wasConnected: true, mode: 'web' }))).toContain('Lost the connection');
    expect(renderToStaticMarkup(createElement(HostLostBanner, { link: 'open', wasConnected: true, mode: 'web' }))).toBe('');
    expect(renderToStaticMarkup(createElement(HostLostBanner, { link: 'connecting', wasConnected: false, mode: null }))).toBe('');
  });
});
