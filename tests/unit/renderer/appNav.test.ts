/**
 * The Simulator view is offered only when the host has simulation on (started with --simulate or
 * --test-control): elsewhere its commands are refused (SIM_DISABLED), so a tab would only lead to
 * errors. Renders the real app shell with the host info a host would report.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../../src/shared/contract';

vi.mock('../../../src/renderer/app', () => ({
  client: { on: () => () => undefined, call: () => new Promise(() => undefined), link: 'open' },
  live: null,
  ble: null,
}));
// the chart library touches `document` when loaded; the shell test draws no chart
vi.mock('uplot', () => ({ default: class {} }));

type HostInfo = CommandResult<'host.info'>;
const INFO: HostInfo = { version: '1.0.0', mode: 'web', scenario: null, isTestControlEnabled: false, startedAtMs: 0, dataDir: '/tmp/x' };

let render: (info: HostInfo | null, view?: string) => string;

beforeAll(async () => {
  // the shell asks whether this is the class TV page (location hash)
  const location = { hash: '#/', search: '' };
  vi.stubGlobal('location', location);
  vi.stubGlobal('window', { location, addEventListener: () => undefined, removeEventListener: () => undefined });
  const { App } = await import('../../../src/renderer/App');
  const { useAppStore } = await import('../../../src/renderer/stores/appStore');
  // a server render reads a zustand store's initial state object: put the host's answer there
  const shown = useAppStore.getInitialState() as { hostInfo: HostInfo | null; view: string };
  render = (info, view = 'live') => {
    shown.hostInfo = info;
    shown.view = view;
    return renderToStaticMarkup(createElement(App));
  };
});

/** The ids of the navigation tabs in the rendered shell. */
const tabs = (html: string): string[] => [...html.matchAll(/data-testid="nav-([a-z]+)"/g)].map((m) => m[1]!);

describe('the Simulator tab', () => {
  it('is hidden on a host without simulation, and before the host has answered', () => {
    expect(tabs(render({ ...INFO }))).not.toContain('simulator');
    expect(tabs(render(null))).not.toContain('simulator');
    expect(tabs(render({ ...INFO }))).toContain('broker');
  });

  it('is shown on a host started with a scenario or with test control', () => {
    expect(tabs(render({ ...INFO, scenario: 'demo' }))).toContain('simulator');
    expect(tabs(render({ ...INFO, isTestControlEnabled: true }))).toContain('simulator');
  });

  it('a remembered Simulator view falls back to the first view when simulation is off', () => {
    const html = render({ ...INFO }, 'simulator');
    expect(html).toMatch(/aria-current="page"[^>]*data-testid="nav-live"/);
  });
});
