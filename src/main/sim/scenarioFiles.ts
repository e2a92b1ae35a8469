/** Resolve `--simulate <scenario>`: a built-in scenario name or a path to a scenario JSON file. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScenario, type Scenario } from '../../shared/scenario';
import { BUILTIN_SCENARIOS } from '../../shared/scenarios';
import type { Result } from '../../shared/errors';

/** Load a scenario by built-in name or file path, with an actionable message when it fails. */
export function loadScenario(nameOrPath: string): Result<Scenario> {
  const builtin = BUILTIN_SCENARIOS[nameOrPath];
  let input: unknown = builtin;
  if (!builtin) {
    const path = resolve(nameOrPath);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return {
        ok: false,
        code: 'SIM_UNKNOWN_SCENARIO',
        message: `No scenario "${nameOrPath}": not a built-in (${Object.keys(BUILTIN_SCENARIOS).join(', ')}) and no file at ${path}.`,
      };
    }
    try {
      input = JSON.parse(text);
    } catch (err) {
      return { ok: false, code: 'SIM_BAD_SCENARIO', message: `${path} is not valid JSON: ${(err as Error).message}` };
    }
  }
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, code: 'SIM_BAD_SCENARIO', message: `Scenario "${nameOrPath}": ${parsed.message}` };
  return { ok: true, value: parsed.value };
}

/** Built-in scenarios for the Simulator panel. */
export function listScenarios(): { name: string; description: string; deviceCount: number }[] {
  return Object.values(BUILTIN_SCENARIOS).map((s) => ({
    name: s.name,
    description: s.description ?? '',
    deviceCount: s.devices.length,
  }));
}
