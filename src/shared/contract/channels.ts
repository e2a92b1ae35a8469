/** IPC channel names of the contract bridge (shared by the main-process glue and the preload). */
export const IPC_CALL = 'sensor-relay:call';
/** Channel of host → UI events. */
export const IPC_EVENT = 'sensor-relay:event';
