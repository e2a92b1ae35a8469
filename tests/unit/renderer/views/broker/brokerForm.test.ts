/**
 * Regression (issue 15 item 4): saving Broker URL `ws://example.com` reported
 * `CONTRACT_BAD_ARGS: broker.configure: settings.tokenSource.url: Invalid URL`, about a field the user
 * never touched; radio buttons had no group name and sat apart from their labels; the uplink table's
 * columns ran together and "Lag" was unexplained.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { brokerSettingsSchema, type BrokerState } from '../../../../../src/shared/contract/broker';
import { checkBrokerForm, firstBrokerFormError, type BrokerForm } from '../../../../../src/renderer/views/broker/brokerForm';
import { BrokerPanelView, LAG_HELP } from '../../../../../src/renderer/views/broker/BrokerPanelView';

const FORM: BrokerForm = {
  targetKind: 'url',
  url: 'ws://example.com',
  tokenKind: 'tokenUrl',
  tokenUrl: '',
  devId: '',
  hasApiKey: false,
  hasRtToken: false,
  defaultUserId: 'default-user',
  maxEntries: '500000',
};

describe('broker settings form', () => {
  it('ws://example.com: one sentence about the broker URL (wss:// needed), nothing about the token URL', () => {
    const errors = checkBrokerForm(FORM);
    expect(Object.keys(errors)).toEqual(['url']);
    expect(firstBrokerFormError(errors)).toBe('example.com is not on this computer, so the connection must be encrypted: use wss://example.com (wss:// instead of ws://).');
  });

  it('with a good URL, the token source is asked for in a sentence', () => {
    expect(firstBrokerFormError(checkBrokerForm({ ...FORM, url: 'wss://example.com/connect' }))).toBe(
      'Enter the address of the token endpoint on your backend, or choose another token source.',
    );
    expect(checkBrokerForm({ ...FORM, url: 'wss://example.com/connect', tokenUrl: 'http://backend.example/token' }).tokenUrl).toBe(
      'backend.example is not on this computer, so the token URL must be encrypted: use https://backend.example/token.',
    );
    expect(checkBrokerForm({ ...FORM, url: 'ws://127.0.0.1:8790/connect', tokenUrl: 'https://backend.example/token' })).toEqual({});
    expect(checkBrokerForm({ ...FORM, targetKind: 'embedded', tokenKind: 'embedded' })).toEqual({});
  });

  it('refuses a non-broker address and a bad outbox limit with sentences', () => {
    expect(checkBrokerForm({ ...FORM, url: 'https://example.com' }).url).toBe('A broker URL starts with wss:// (or ws:// for a broker on this computer), not https://.');
    expect(checkBrokerForm({ ...FORM, targetKind: 'embedded', maxEntries: '5' }).maxEntries).toBe('The outbox limit is a whole number of readings, at least 100.');
  });

  it('groups radio buttons by name, keeps each next to its label, separates numeric columns and explains Lag', () => {
    const state: BrokerState = {
      settings: brokerSettingsSchema.parse({}),
      hasApiKey: false,
      hasRtToken: false,
      secretStore: 'file',
      targetUrl: 'ws://127.0.0.1:8790/connect',
      embedded: null,
      uplinks: [],
      unforwardedMetrics: [],
      unroutedReadings: 0,
      notices: [],
    };
    const html = renderToStaticMarkup(createElement(BrokerPanelView, { state, message: null, test: null, onSave: () => {}, onTest: () => {} }));
    expect(html.match(/type="radio" name="broker-target"/g)).toHaveLength(2);
    expect(html.match(/type="radio" name="broker-token-source"/g)).toHaveLength(3);
    expect(html).toMatch(/<label class="choice"><input type="radio"[^>]*\/><span>Embedded broker on this computer<\/span>/);
    expect(html).toContain('<th scope="col" class="num" title="Lag: time since the oldest unacknowledged reading was read from the sensor');
    expect(html).toContain(LAG_HELP);
  });
});
