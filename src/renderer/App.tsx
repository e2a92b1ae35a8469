/** The app shell: header with link state, navigation, notices, and the selected view. */
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

/** A navigation entry. */
interface NavItem {
  readonly id: string;
  readonly label: string;
  readonly render: () => React.JSX.Element;
}

const NAV: readonly NavItem[] = [
  { id: 'live', label: 'Live', render: () => <LiveView /> },
  { id: 'sensors', label: 'Sensors', render: () => <SensorsView /> },
  { id: 'recording', label: 'Recording', render: () => <RecordingView /> },
  { id: 'simulator', label: 'Simulator', render: () => <SimulatorPanel /> },
  { id: 'roster', label: 'Roster', render: () => <RosterView /> },
  { id: 'class', label: 'Class display', render: () => <ClassDisplay /> },
  { id: 'summary', label: 'Class summary', render: () => <ClassSummaryView /> },
  { id: 'broker', label: 'Broker', render: () => <BrokerPanel /> },
];

/** The app. */
export function App(): React.JSX.Element {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const link = useAppStore((s) => s.link);
  const mode = useAppStore((s) => s.hostInfo?.mode);
  const scenario = useAppStore((s) => s.hostInfo?.scenario);
  const isClassPage = useIsClassPage();
  if (isClassPage) return <ClassDisplay isStandalone />; // the read-only TV page: the grid only
  const current = NAV.find((n) => n.id === view) ?? NAV[0]!;
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sensor Relay
        </div>
        <nav className="nav">
          {NAV.map((n) => (
            <button key={n.id} className={n.id === current.id ? 'is-active' : ''} onClick={() => setView(n.id)} data-testid={`nav-${n.id}`}>
              {n.label}
            </button>
          ))}
        </nav>
        <div className="header-status">
          <RecordingIndicator client={client} onOpen={() => setView('recording')} />
          {scenario && <span className="badge">simulating: {scenario}</span>}
          {mode && <span className="badge">{mode} mode</span>}
          <span className={`badge link-${link}`} data-testid="link-state">
            {link === 'open' ? 'host connected' : link === 'connecting' ? 'connecting…' : 'host disconnected'}
          </span>
        </div>
      </header>
      <Notices />
      <BluetoothDialogs client={client} />
      <main className="app-main">{current.render()}</main>
    </div>
  );
}
