/**
 * The host's contract handlers, one section per feature, assembled in one map (a missing handler
 * fails `tsc`). ANT+ commands answer "no sticks" until the ANT feature has started.
 */
import type { Handlers } from './contract/server';
import { coreHandlers } from './coreHandlers';
import type { Host } from './host';
import { antHandlers, type AntFeature } from './ant/antFeature';
import { bleHandlers, type BluetoothUiPort } from './bluetooth/bleHandlers';
import { recordingHandlers } from './recording/handlers';
import { rosterHandlers } from './roster/rosterHandlers';
import { brokerHandlers } from './producer/handlers';

/** The host parts whose presence changes after construction. */
export interface LateParts {
  readonly ant: () => AntFeature | null;
  readonly bluetoothUi: () => BluetoothUiPort | null;
}

const ANT_BEFORE_START = { sticks: [], error: null };

/** Every contract handler of `host`. */
export function hostHandlers(host: Host, late: LateParts): Handlers {
  return {
    'ant.status': () => {
      const ant = late.ant();
      return ant ? antHandlers(ant)['ant.status']({}) : ANT_BEFORE_START;
    },
    'ant.setMode': (args) => {
      const ant = late.ant();
      return ant ? antHandlers(ant)['ant.setMode'](args) : ANT_BEFORE_START;
    },
    ...coreHandlers(host),
    ...bleHandlers(late.bluetoothUi),
    ...rosterHandlers(host.roster),
    ...brokerHandlers(host.broker),
    ...recordingHandlers(host.recording, (sessionId, fraction) => host.events.emit('recordingExportProgress', { sessionId, fraction })),
  };
}
