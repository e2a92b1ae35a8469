/** The app shell: header with link state, grouped navigation, notices, the host-lost banner, and the selected view. */
import { useAppStore } from './stores/appStore';
import { SensorsView } from './views/SensorsView';
import { client } from './app';
import { BluetoothDialogs } from './views/ble/BluetoothDialogs';
import { LiveView } from './views/LiveView';
import { Notices } from './views/Notices';
import { SimulatorPanel } from './views/SimulatorPanel';
import { ClassDisplay } from './views/class/ClassDisplay';
import { ClassSummaryView } from './views/class/ClassSummaryView';
import { useIsClassPage } from './views/class/classPage';
import { RosterView } from './views/roster/RosterView';
import { RecordingView } from './views/RecordingView';
import { RecordingIndicator } from './views/sessions/RecordingIndicator';
import { BrokerPanel } from './views/broker';
import { HostLostBanner } from './views/HostLostBanner';
import { MarkerShortcutSetting } from './views/MarkerShortcutSetting';
import { NavBar, type NavGroup } from './views/NavBar';

/** The views, in groups (a lab session, a gym class, the plumbing), so the header fits on one line at 1280 px. */
const NAV: readonly NavGroup[] = [
  {
    label: 'Session',
    items: [
      { id: 'live', label: 'Live', render: () => <LiveView /> },
      { id: 'sensors', label: 'Sensors', render: () => <SensorsView /> },
      {
        id: 'recording',
        label: 'Recording',
        render: () => (
          <>
            <RecordingView />
            <MarkerShortcutSetting />
          </>
        ),
      },
    ],
  },
  {
    label: 'Gym',
    items: [
      { id: 'roster', label: 'Roster', render: () => <RosterView /> },
      { id: 'class', label: 'Class TV', render: () => <ClassDisplay /> },
      { id: 'summary', label: 'Summary', render: () => <ClassSummaryView /> },
    ],
  },
  {
    label: 'Setup',
    items: [
      { id: 'broker', label: 'Broker', render: () => <BrokerPanel /> },
      { id: 'simulator', label: 'Simulator', render: () => <SimulatorPanel /> },
    ],
  },
];

/** The app. */
export function App(): React.JSX.Element {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const link = useAppStore((s) => s.link);
  const wasConnected = useAppStore((s) => s.wasConnected);
  const mode = useAppStore((s) => s.hostInfo?.mode);
  const scenario = useAppStore((s) => s.hostInfo?.scenario);
  // simulation commands exist only on a host started with --simulate or --test-control (docs/security.md)
  const isSimulating = useAppStore((s) => s.hostInfo !== null && (s.hostInfo.scenario !== null || s.hostInfo.isTestControlEnabled));
  const isClassPage = useIsClassPage();
  if (isClassPage) return <ClassDisplay isStandalone />; // the read-only TV page: the grid only
  const groups = isSimulating ? NAV : NAV.map((g) => ({ ...g, items: g.items.filter((n) => n.id !== 'simulator') }));
  const items = groups.flatMap((g) => g.items);
  const current = items.find((n) => n.id === view) ?? items[0]!;
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sensor Relay
        </div>
        <NavBar groups={groups} currentId={current.id} onSelect={setView} />
        <div className="header-status">
          <RecordingIndicator client={client} onOpen={() => setView('recording')} />
          {(scenario || mode) && (
            <span className="badge" title={scenario ? `simulating the "${scenario}" scenario` : undefined}>
              {[mode && `${mode} mode`, scenario && `sim: ${scenario}`].filter(Boolean).join(' · ')}
            </span>
          )}
          <span className={`badge link-${link}`} data-testid="link-state">
            {link === 'open' ? 'host connected' : link === 'connecting' ? 'connecting…' : 'host offline'}
          </span>
        </div>
      </header>
      <HostLostBanner link={link} wasConnected={wasConnected} mode={mode ?? null} />
      <Notices />
      <BluetoothDialogs client={client} />
      <main className="app-main">{current.render()}</main>
    </div>
  );
}
