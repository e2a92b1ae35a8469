/** The broker panel shows connection state, the last close, outbox depth/lag/drops, unforwarded metrics and the API-key warning. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { API_KEY_WARNING, brokerSettingsSchema, type BrokerState } from '../../../../../src/shared/contract/broker';
import { BrokerPanelView } from '../../../../../src/renderer/views/broker/BrokerPanelView';

function state(patch: Partial<BrokerState> = {}): BrokerState {
  return {
    settings: brokerSettingsSchema.parse({}),
    hasApiKey: false,
    hasRtToken: false,
    secretStore: 'file',
    targetUrl: 'ws://127.0.0.1:8790/connect',
    embedded: { url: 'ws://127.0.0.1:8790/connect', httpUrl: 'http://127.0.0.1:8790', credentialsPath: '/d/broker/credentials.json' },
    uplinks: [
      {
        key: 'athlete-7',
        userId: 'athlete-7',
        participantName: 'Ada',
        state: 'backoff',
        url: 'ws://127.0.0.1:8790/connect',
        lastClose: { code: 4005, reason: 'heartbeat timeout', atMs: 1 },
        error: { code: 'BROKER_CLOSED', message: 'connection closed: 4005 heartbeat deadline exceeded; reconnecting' },
        connections: 2,
        ignoredFrames: 0,
        outbox: { queued: 420_000, inFlight: 12, delivered: 900, dropped: 37, lagMs: 65_000, maxEntries: 500_000, isNearLimit: true, corruptLines: 0 },
      },
    ],
    unforwardedMetrics: [
      { metric: 'battery', isSeen: true },
      { metric: 'rssi', isSeen: false },
    ],
    unroutedReadings: 0,
    notices: [],
    ...patch,
  };
}

const render = (s: BrokerState): string => renderToStaticMarkup(createElement(BrokerPanelView, { state: s, message: null, test: null, onSave: () => {}, onTest: () => {} }));

describe('broker panel', () => {
  it('shows per-athlete connection state, the last close reason and the outbox numbers including drops and the near-limit warning', () => {
    const html = render(state());
    expect(html).toContain('Ada (athlete-7)');
    expect(html).toContain('4005 heartbeat timeout');
    expect(html).toContain('420000');
    expect(html).toContain('65.0 s');
    expect(html).toMatch(/near limit/);
    expect(html).toContain('>37<');
  });

  it('lists the metrics that are never forwarded, and which of them were seen', () => {
    const html = render(state());
    expect(html).toMatch(/Never sent to the broker.*Battery, Signal.*seen this session: Battery/);
  });

  it('shows the API-key warning when developer credentials are the token source', () => {
    const html = render(state({ settings: brokerSettingsSchema.parse({ target: { kind: 'url', url: 'wss://ws.tryterra.co/connect' }, tokenSource: { kind: 'developer', devId: 'd' } }) }));
    expect(html).toContain(API_KEY_WARNING.slice(0, 40));
    expect(render(state())).not.toContain(API_KEY_WARNING.slice(0, 40));
  });
});
