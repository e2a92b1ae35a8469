/** Handlers of the roster section of the contract, bound to the roster service. */
import type { rosterCommands } from '../../shared/contract/roster';
import type { Result } from '../../shared/errors';
import { CommandError, type HandlerSet } from '../contract/server';
import type { RosterService } from './rosterService';

type RosterName = keyof typeof rosterCommands;

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CommandError(r.code, r.message);
  return r.value;
}

/** The roster handlers. */
export function rosterHandlers(roster: RosterService): HandlerSet<RosterName> {
  return {
    'roster.get': () => roster.view(),
    'roster.upsertParticipant': ({ participant }) => unwrap(roster.upsert(participant)),
    'roster.removeParticipant': ({ participantId }) => unwrap(roster.remove(participantId)),
    'roster.assign': ({ deviceId, participantId, position }) => unwrap(roster.assign(deviceId, participantId, position)),
    'roster.unassign': ({ deviceId }) => unwrap(roster.unassign(deviceId)),
    'roster.ignore': ({ deviceId }) => {
      roster.ignore(deviceId);
      return null;
    },
    'roster.unignore': ({ deviceId }) => {
      roster.unignore(deviceId);
      return null;
    },
    'roster.claimStart': ({ participantId, ...options }) => unwrap(roster.claimStart(participantId, options)),
    'roster.claimCancel': () => {
      roster.claimCancel();
      return null;
    },
    'roster.importCsv': ({ csv, mode }) => unwrap(roster.importCsv(csv, mode)),
    'roster.exportCsv': () => ({ csv: roster.exportCsv() }),
    'roster.startClass': () => unwrap(roster.startClass()),
    'roster.endClass': () => unwrap(roster.endClass()),
    'roster.lastSummary': () => roster.lastSummary(),
    'roster.summaryCsv': () => unwrap(roster.summaryCsv()),
  };
}
