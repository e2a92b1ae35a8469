/**
 * The UI–host contract, typed once: one map of commands (name → args, result) and one of
 * events (name → payload), each with a runtime schema. Feature sections live in their own files
 * and are merged here. The receiving side validates every message (see `wire.ts`).
 */
import type { z } from 'zod';
import { antCommands, antEvents } from './ant';
import { bleCommands, bleEvents } from './ble';
import { brokerCommands, brokerEvents } from './broker';
import { coreCommands, coreEvents } from './core';
import { recordingCommands, recordingEvents } from './recording';
import { rosterCommands, rosterEvents } from './roster';

/** Every command the host answers. */
export const COMMANDS = {
  ...coreCommands,
  ...antCommands,
  ...bleCommands,
  ...rosterCommands,
  ...recordingCommands,
  ...brokerCommands,
} as const;

/** Every event the host pushes to UIs. */
export const EVENTS = {
  ...coreEvents,
  ...antEvents,
  ...bleEvents,
  ...rosterEvents,
  ...recordingEvents,
  ...brokerEvents,
} as const;

/** Command names. */
export type CommandName = keyof typeof COMMANDS;
/** Event names. */
export type EventName = keyof typeof EVENTS;
/** Arguments of command `K` (after validation). */
export type CommandArgs<K extends CommandName> = z.output<(typeof COMMANDS)[K]['args']>;
/** Arguments of command `K` as a caller writes them (before defaults). */
export type CommandInput<K extends CommandName> = z.input<(typeof COMMANDS)[K]['args']>;
/** Result of command `K`. */
export type CommandResult<K extends CommandName> = z.output<(typeof COMMANDS)[K]['result']>;
/** Payload of event `K`. */
export type EventPayload<K extends EventName> = z.output<(typeof EVENTS)[K]>;

/** The list of command names, for building transports in one loop. */
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
/** The list of event names. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export * from './wire';
