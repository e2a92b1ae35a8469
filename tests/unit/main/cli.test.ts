/**
 * Regression (issue 15 item 9): `--help` was reported as an error and listed two of the built-in
 * scenarios; `--port -1` printed "argument is ambiguous" plus the whole usage; `--port abc` lacked
 * the `Sensor Relay:` prefix. Every refusal is now one sentence, and `--help` is not an error.
 */
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../../src/main/cli';
import { BUILTIN_SCENARIOS } from '../../../src/shared/scenarios';

describe('command line', () => {
  it('--help is the usage, marked as help, listing every built-in scenario', () => {
    const r = parseCli(['--help']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.isHelp).toBe(true);
    for (const name of Object.keys(BUILTIN_SCENARIOS)) expect(r.message).toContain(name);
  });

  it.each([
    [['--port', '-1'], 'Sensor Relay: --port must be a whole number from 0 to 65535, not "-1". Run with --help to see the options.'],
    [['--port', 'abc'], 'Sensor Relay: --port must be a whole number from 0 to 65535, not "abc". Run with --help to see the options.'],
    [['--port', '1.5'], 'Sensor Relay: --port must be a whole number from 0 to 65535, not "1.5". Run with --help to see the options.'],
    [['--port', '70000'], 'Sensor Relay: --port must be a whole number from 0 to 65535, not "70000". Run with --help to see the options.'],
    [['--speed', '-2'], 'Sensor Relay: --speed must be a positive number, not "-2". Run with --help to see the options.'],
    [['--bogus'], 'Sensor Relay: --bogus is not an option. Run with --help to see the options.'],
    [['--port'], 'Sensor Relay: --port needs a value. Run with --help to see the options.'],
    [['demo'], 'Sensor Relay: demo is not an option (options start with --). Run with --help to see the options.'],
  ])('%j is refused with one line: %s', (argv, message) => {
    const r = parseCli(argv);
    expect(r).toEqual({ ok: false, message });
  });

  it('accepts good values, including port 0 and --port=8851', () => {
    const r = parseCli(['--port=8851', '--simulate', 'gym50']);
    expect(r.ok && r.value.port).toBe(8851);
    expect(r.ok && r.value.simulate).toBe('gym50');
    const zero = parseCli(['--port', '0']);
    expect(zero.ok && zero.value.port).toBe(0);
  });
});
