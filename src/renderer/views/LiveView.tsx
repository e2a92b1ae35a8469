/** The main view: one tile per device, and the chart-window picker. */
import { CHART_WINDOWS_S, useAppStore } from '../stores/appStore';
import { DeviceTile } from './DeviceTile';

function windowLabel(s: number): string {
  return s < 120 ? `${s} s` : `${s / 60} min`;
}

/** Tiles of every device. */
export function LiveView(): React.JSX.Element {
  const devices = useAppStore((s) => s.devices);
  const windowS = useAppStore((s) => s.chartWindowS);
  const setWindow = useAppStore((s) => s.setChartWindow);
  const isHostLinked = useAppStore((s) => s.link === 'open');
  return (
    <section className="live-view">
      <div className="toolbar">
        <h2>Live</h2>
        <div className="segmented" role="radiogroup" aria-label="Chart window">
          {CHART_WINDOWS_S.map((s) => (
            <button
              key={s}
              role="radio"
              aria-checked={s === windowS}
              className={s === windowS ? 'is-active' : ''}
              onClick={() => setWindow(s)}
            >
              {windowLabel(s)}
            </button>
          ))}
        </div>
      </div>
      {devices.length === 0 ? (
        <div className="empty-state">
          <h3>No sensors yet</h3>
          <p>Add a Bluetooth sensor, plug in an ANT+ stick, or open the Simulator to add simulated devices.</p>
        </div>
      ) : (
        <div className="tile-grid" data-testid="tile-grid">
          {devices.map((d) => (
            <DeviceTile key={d.id} device={d} isHostLinked={isHostLinked} />
          ))}
        </div>
      )}
    </section>
  );
}
