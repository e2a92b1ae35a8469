/** Gym-mode functions of the test-control surface (`window.sensorRelayTest.roster`). */
import type { CommandInput, CommandResult } from '../../../shared/contract';
import type { HostClient } from '../../contract/client';

/** What tests get as `window.sensorRelayTest.roster`. */
export interface RosterTestControl {
  /** Import roster CSV (all or nothing); rejects with the per-line message on bad input. */
  importCsv(csv: string, mode?: 'merge' | 'replace'): Promise<number>;
  assign(deviceId: string, participantId: string, position?: number): Promise<void>;
  unassign(deviceId: string): Promise<void>;
  /** Start tap-to-claim for a participant. */
  claimStart(participantId: string, options?: Omit<CommandInput<'roster.claimStart'>, 'participantId'>): Promise<void>;
  get(): Promise<CommandResult<'roster.get'>>;
  startClass(): Promise<void>;
  endClass(): Promise<CommandResult<'roster.endClass'>>;
}

/** Build the roster test control over the contract client. */
export function rosterTestControl(client: HostClient): RosterTestControl {
  return {
    importCsv: async (csv, mode = 'merge') => (await client.invoke('roster.importCsv', { csv, mode })).imported,
    assign: async (deviceId, participantId, position) => {
      await client.invoke('roster.assign', { deviceId, participantId, position });
    },
    unassign: async (deviceId) => {
      await client.invoke('roster.unassign', { deviceId });
    },
    claimStart: async (participantId, options = {}) => {
      await client.invoke('roster.claimStart', { participantId, ...options });
    },
    get: () => client.invoke('roster.get', {}),
    startClass: async () => {
      await client.invoke('roster.startClass', {});
    },
    endClass: () => client.invoke('roster.endClass', {}),
  };
}
