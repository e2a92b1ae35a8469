/**
 * The class display: a full-screen grid of every athlete with a sensor — big heart rate, % of
 * max, zone colour as the tile background, a two-minute trend line, which sensor supplies HR,
 * and NO SIGNAL with last seen. Columns and rows are computed from the athlete count and the
 * screen's aspect so 1 to 50 athletes fit without scrolling; font sizes follow the tile size.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { classGrid } from '../../../shared/roster/classGrid';
import type { Participant } from '../../../shared/roster/participant';
import { ZONES } from '../../../shared/roster/zones';
import { live } from '../../app';
import { useAppStore } from '../../stores/appStore';
import { ensureRosterSync, useRosterStore } from '../roster/rosterStore';
import { ClassTiles, type TileElements } from './classTiles';
import { followHostClock, toHostTime } from './hostClock';
import './class.css';

/** Gap between tiles (px). */
const GAP_PX = 8;

/** Props of {@link ClassDisplay}. */
export interface ClassDisplayProps {
  /** The read-only TV page (no app chrome, the whole viewport). */
  readonly isStandalone?: boolean;
}

function deviceName(id: string): string {
  return useAppStore.getState().devices.find((d) => d.id === id)?.name ?? id;
}

/** This page as the read-only TV page (keeping the access token). */
function tvPageHref(): string {
  const params = new URLSearchParams(location.search);
  params.set('view', 'class');
  return `${location.pathname}?${params.toString()}`;
}

/** The class display. */
export function ClassDisplay({ isStandalone = false }: ClassDisplayProps): React.JSX.Element {
  const roster = useRosterStore((s) => s.roster);
  const gridRef = useRef<HTMLDivElement>(null);
  const clockRef = useRef<HTMLSpanElement>(null);
  const [size, setSize] = useState({ w: 1280, h: 720 });
  const tiles = useMemo(() => new ClassTiles(live, deviceName, toHostTime), []);
  const athletes = useMemo(() => roster?.participants.filter((p) => p.deviceIds.length > 0) ?? [], [roster]);
  const startedAtMs = roster?.classState?.startedAtMs ?? null;
  const mode = useAppStore((s) => s.hostInfo?.mode);

  useEffect(() => {
    ensureRosterSync();
    followHostClock();
    return tiles.start();
  }, [tiles]);

  useEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const measure = (): void => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(() => {
      measure();
      tiles.invalidateSizes();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [tiles]);

  useEffect(() => tiles.setClock(clockRef.current, startedAtMs), [tiles, startedAtMs]);

  const grid = classGrid(athletes.length, size.w, size.h, GAP_PX);
  const style = {
    gridTemplateColumns: `repeat(${grid.cols}, minmax(0, 1fr))`,
    gridTemplateRows: `repeat(${grid.rows}, minmax(0, 1fr))`,
    '--tile-h': `${Math.min(grid.tileHeightPx, grid.tileWidthPx / 1.7)}px`,
  } as React.CSSProperties;

  return (
    <section className={`class-display ${isStandalone ? 'is-standalone' : ''}`} data-testid="class-display">
      <header className="class-bar">
        <span className="class-title">Class</span>
        <span className="class-clock" ref={clockRef} data-testid="class-clock" />
        <span className="class-count">{athletes.length} athletes</span>
        {!isStandalone && mode === 'web' && (
          <a className="class-tv-link" href={tvPageHref()} target="_blank" rel="noopener noreferrer">
            TV page ↗
          </a>
        )}
        <span className="class-legend" aria-label="Zones">
          {ZONES.map((z, i) => (
            <span key={z.name} className="legend-item" data-zone={i}>
              {z.name}
            </span>
          ))}
        </span>
      </header>
      <div className="class-grid" ref={gridRef} style={style} data-testid="class-grid" data-cols={grid.cols} data-rows={grid.rows}>
        {athletes.length === 0 && (
          <div className="class-empty">
            {roster === null ? 'Connecting…' : 'No athletes with sensors yet. Assign sensors in Roster.'}
          </div>
        )}
        {athletes.map((p) => (
          <ClassTile key={p.id} participant={p} tiles={tiles} />
        ))}
      </div>
    </section>
  );
}

function ClassTile({ participant, tiles }: { participant: Participant; tiles: ClassTiles }): React.JSX.Element {
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = root.current;
    if (!el) return;
    const q = <T extends HTMLElement>(role: string): T => el.querySelector<T>(`[data-role="${role}"]`)!;
    const els: TileElements = {
      root: el,
      hr: q('hr'),
      pct: q('pct'),
      zone: q('zone'),
      source: q('source'),
      lastSeen: q('last-seen'),
      canvas: q<HTMLCanvasElement>('trend'),
    };
    tiles.set(participant, els);
  }, [participant, tiles]);
  useEffect(() => () => tiles.delete(participant.id), [participant.id, tiles]);
  const id = participant.id;
  return (
    <article className="class-tile" ref={root} data-testid={`class-tile-${id}`} data-state="waiting" data-zone="none">
      <div className="ct-head">
        <span className="ct-swatch" style={{ background: participant.colour }} />
        <span className="ct-name">{participant.name}</span>
        <span className="ct-zone" data-role="zone" />
      </div>
      <div className="ct-main">
        <span className="ct-hr" data-role="hr" data-testid={`class-hr-${id}`}>
          --
        </span>
        <span className="ct-unit">bpm</span>
        <span className="ct-pct" data-role="pct" data-testid={`class-pct-${id}`} />
      </div>
      <canvas className="ct-trend" data-role="trend" />
      <div className="ct-foot">
        <span className="ct-source" data-role="source" data-testid={`class-source-${id}`} />
        <span className="ct-last" data-role="last-seen" />
      </div>
    </article>
  );
}
