import { describe, expect, it } from 'vitest';
import { DEV_CONFIG, parseBrokerConfig } from '../../../src/broker/config';
import { TokenStore } from '../../../src/broker/tokens';

describe('broker config', () => {
  it('fills the §12 defaults', () => {
    const r = parseBrokerConfig({});
    expect(r.ok && r.value).toMatchObject({
      host: '127.0.0.1',
      heartbeatIntervalMs: 40000,
      identifyTimeoutMs: 15000,
      heartbeatGraceFactor: 1.5,
      tokenLifetimeMs: 300000,
      consumerCap: 10,
      seqMode: 'sparse',
      replay: { maxCount: 100000, maxAgeMs: 86400000, lagMs: 0 },
    });
  });
  it('rejects a bad field with its path', () => {
    const r = parseBrokerConfig({ heartbeatIntervalMs: -1 });
    expect(!r.ok && r.code).toBe('BROKER_BAD_CONFIG');
    expect(!r.ok && r.message).toMatch(/heartbeatIntervalMs/);
  });
  it('rejects an rt. token for a user no developer lists', () => {
    const r = parseBrokerConfig({ developers: [{ devId: 'd', apiKey: 'k', users: ['a'] }], rtTokens: [{ token: 'rt.x', userId: 'b' }] });
    expect(!r.ok && r.message).toMatch(/rt\. token for user "b"/);
  });
  it('rejects a developer listed twice', () => {
    const r = parseBrokerConfig({ developers: [{ devId: 'd', apiKey: 'k' }, { devId: 'd', apiKey: 'j' }] });
    expect(!r.ok && r.message).toMatch(/listed twice/);
  });
  it('the development config is valid', () => {
    expect(parseBrokerConfig(DEV_CONFIG).ok).toBe(true);
  });
});

describe('token store', () => {
  const parsed = parseBrokerConfig({
    developers: [{ devId: 'd', apiKey: 'k', users: ['u'] }],
    rtTokens: [{ token: 'rt.u', userId: 'u', expiresAt: '2030-01-01T00:00:00Z' }],
    tokenLifetimeMs: 1000,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  let now = Date.parse('2029-01-01T00:00:00Z');
  const store = new TokenStore(parsed.value, () => now);

  it('a user token grants a producer session only with type 0', () => {
    const t = store.mint({ kind: 'user', devId: 'd', userId: 'u' });
    expect(store.check(t, 1)).toEqual({ ok: false, reason: 'wrong-type' });
    expect(store.check(t, 0)).toMatchObject({ ok: true, role: 'producer' });
  });
  it('a consumed token is unknown afterwards', () => {
    const t = store.mint({ kind: 'developer', devId: 'd' });
    expect(store.check(t, 1)).toMatchObject({ ok: true, role: 'consumer' });
    store.consume(t);
    expect(store.check(t, 1)).toEqual({ ok: false, reason: 'unknown' });
  });
  it('tokens expire after the lifetime', () => {
    const t = store.mint({ kind: 'developer', devId: 'd' });
    now += 1000;
    expect(store.check(t, 1)).toEqual({ ok: false, reason: 'expired' });
  });
  it('rt. tokens are reusable until their ISO expiry', () => {
    store.consume('rt.u');
    expect(store.check('rt.u', 0)).toMatchObject({ ok: true, grant: { kind: 'rt', userId: 'u' } });
    now = Date.parse('2030-01-01T00:00:00Z');
    expect(store.check('rt.u', 0)).toEqual({ ok: false, reason: 'expired' });
    store.dispose();
  });
});
