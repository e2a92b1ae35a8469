/**
 * The renderer's Bluetooth LE module: transport seam over Web Bluetooth, connection manager,
 * remembered sensors, simulated Bluetooth, and the runtime that wires them to the host.
 */
export * from './backoff';
export * from './bleRuntime';
export * from './knownDevices';
export * from './manager';
export * from '../../shared/ble/profiles';
export * from '../../shared/ble/sampleMapping';
export * from './sim/peripheralModels';
export * from './sim/simBluetooth';
export * from './transport';
export * from './rawLogBatcher';
