/**
 * Regression (issue 15 item 6): internal names reached users — `roster.upsertParticipant:
 * participant.name: name is empty`, `REC_NOT_RECORDING`, `CONTRACT_BAD_ARGS: broker.configure: …`.
 * Every failure a person sees is a sentence about their action; the code goes to the console.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { userMessage, withoutCode } from '../../../src/renderer/userMessage';

afterEach(() => {
  vi.restoreAllMocks();
});

const CODE = /\b[A-Z]{2,}_[A-Z_]+\b/;
const CONTRACT_NAME = /\b[a-z]+\.[a-z][A-Za-z]+\b:/;

describe('messages people see', () => {
  it.each([
    [{ code: 'CONTRACT_BAD_ARGS', message: 'roster.upsertParticipant: participant.name: name is empty' }, 'save the athlete', 'Could not save the athlete: the name is empty.'],
    [{ code: 'CONTRACT_BAD_ARGS', message: 'roster.upsertParticipant: participant.maxHrBpm: Too big: expected number to be <=250' }, 'save the athlete', 'Could not save the athlete: the max HR is not valid: too big: expected number to be <=250.'],
    [{ code: 'REC_NOT_RECORDING', message: 'REC_NOT_RECORDING: no session is recording' }, 'add a marker', 'Could not add a marker: no recording is running. Start one in Recording first.'],
    [{ code: 'CONTRACT_HANDLER_FAILED', message: 'connection to the host closed' }, 'start the class', 'Could not start the class: the host is not reachable. This page reconnects by itself when the host runs again.'],
    [{ code: 'CONTRACT_HANDLER_FAILED', message: 'roster.endClass failed: Cannot read properties of undefined' }, 'end the class', 'Could not end the class: the host ran into an unexpected problem. The details are in the host’s log.'],
    [{ code: 'ROSTER_NO_CLASS', message: 'no class is running' }, 'end the class', 'Could not end the class: no class is running.'],
  ])('%j while trying to %s reads "%s"', (failure, action, expected) => {
    const log = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const text = userMessage(failure, action);
    expect(text).toBe(expected);
    expect(text).not.toMatch(CODE);
    expect(text).not.toMatch(CONTRACT_NAME);
    expect(log).toHaveBeenCalledWith(expect.stringContaining(failure.code));
  });

  it('drops a code prefix from a text meant for people', () => {
    expect(withoutCode('BROKER_CLOSED: connection closed: 4005 heartbeat deadline exceeded; reconnecting')).toBe('Connection closed: 4005 heartbeat deadline exceeded; reconnecting.');
  });
});
