/** The stick panel shows what gym staff need to see about their sticks (static markup; no DOM needed). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AntStickStatusView } from '../../../../../src/shared/contract/ant';
import { StickPanel } from '../../../../../src/renderer/views/ant/StickPanel';

const STICK: AntStickStatusView = {
  key: 'usb-1-3',
  label: 'ANT USB-m (bus 1 port 3)',
  productId: 0x1009,
  isSimulated: false,
  state: 'running',
  mode: 'scan',
  channelsUsed: 1,
  maxChannels: 8,
  canScan: true,
  messageRateHz: 162.4,
  framesIn: 1000,
  badFrames: 2,
  deviceCount: 40,
  error: null,
};

describe('StickPanel', () => {
  it('lists each stick with mode, channels, message rate and bad frames', () => {
    const html = renderToStaticMarkup(
      createElement(StickPanel, { status: { sticks: [STICK, { ...STICK, key: 'b', label: 'ANTUSB2', mode: 'paired', channelsUsed: 3, deviceCount: 3 }], error: null } }),
    );
    expect(html).toContain('ANT USB-m (bus 1 port 3)');
    expect(html).toContain('continuous scan');
    expect(html).toContain('40 devices in range');
    expect(html).toContain('162.4');
    expect(html).toContain('3 of 8');
    expect(html).toContain('paired channels');
  });

  it('shows an unplugged stick and its error, and the no-stick message with its code', () => {
    const html = renderToStaticMarkup(
      createElement(StickPanel, {
        status: {
          sticks: [{ ...STICK, state: 'removed', error: { code: 'ANT_STICK_REMOVED', message: 'ANT USB-m was unplugged; its devices are stale until it is plugged back in.' } }],
          error: null,
        },
      }),
    );
    expect(html).toContain('unplugged');
    expect(html).toContain('data-code="ANT_STICK_REMOVED"');
    expect(html).toContain('its devices are stale');
    const none = renderToStaticMarkup(createElement(StickPanel, { status: { sticks: [], error: { code: 'ANT_NO_STICK', message: 'No ANT+ USB stick found. Plug one in.' } } }));
    expect(none).toContain('data-code="ANT_NO_STICK"');
    expect(none).toContain('Plug one in');
  });

  it('offers the mode buttons only when a handler is given', () => {
    expect(renderToStaticMarkup(createElement(StickPanel, { status: { sticks: [STICK], error: null }, onSetMode: () => undefined }))).toContain('ant-mode-paired');
    expect(renderToStaticMarkup(createElement(StickPanel, { status: { sticks: [STICK], error: null } }))).not.toContain('ant-mode-paired');
  });
});
