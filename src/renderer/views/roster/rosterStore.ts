/**
 * Gym mode's slice of slow UI state (zustand): the roster view from the host, the last claim
 * outcome and the last class summary. Kept in sync with the host's `roster` events; live numbers
 * never go here.
 */
import { create } from 'zustand';
import type { CommandResult, EventPayload } from '../../../shared/contract';
import { client } from '../../app';

type RosterView = EventPayload<'roster'>;
type Summary = NonNullable<CommandResult<'roster.lastSummary'>>;

interface RosterSlice {
  roster: RosterView | null;
  lastClaim: EventPayload<'rosterClaim'> | null;
  summary: Summary | null;
  setRoster(roster: RosterView): void;
  setLastClaim(claim: EventPayload<'rosterClaim'>): void;
  setSummary(summary: Summary | null): void;
}

/** The roster store. */
export const useRosterStore = create<RosterSlice>()((set) => ({
  roster: null,
  lastClaim: null,
  summary: null,
  setRoster: (roster) => set({ roster }),
  setLastClaim: (lastClaim) => set({ lastClaim }),
  setSummary: (summary) => set({ summary }),
}));

let isSyncing = false;

/** Subscribe to the host's roster events once and fetch the current roster (idempotent). */
export function ensureRosterSync(): void {
  if (isSyncing) return;
  isSyncing = true;
  client.on('roster', (view) => useRosterStore.getState().setRoster(view));
  client.on('rosterClaim', (c) => useRosterStore.getState().setLastClaim(c));
  const refresh = async (): Promise<void> => {
    const [view, summary] = await Promise.all([client.call('roster.get', {}), client.call('roster.lastSummary', {})]);
    if (view.ok) useRosterStore.getState().setRoster(view.value);
    if (summary.ok) useRosterStore.getState().setSummary(summary.value);
  };
  client.onState((state) => {
    if (state === 'open') void refresh();
  });
  if (client.linkState === 'open') void refresh();
}

/** Save text as a file download. */
export function downloadText(fileName: string, text: string, mime = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
