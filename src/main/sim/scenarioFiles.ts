/**
 * Where scenarios come from (docs/security.md "Simulation"): a built-in name; the file the user
 * named with `--simulate <file>` on the command line; or, over the contract, a name of a file in
 * `<dataDir>/scenarios/`. A scenario file is a regular file of at most {@link MAX_SCENARIO_BYTES};
 * an error names the file and the problem, never the file's contents.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseScenario, type Scenario } from '../../shared/scenario';
import { BUILTIN_SCENARIOS } from '../../shared/scenarios';
import type { Result } from '../../shared/errors';

/** Largest scenario file read (a 200-device scenario is ~40 kB). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
/** Folder inside the data directory holding scenarios the contract may load by name. */
export const SCENARIOS_FOLDER = 'scenarios';
/** A scenario name the contract accepts: a file name stem, no path. */
const SCENARIO_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Load a scenario by built-in name or file path (the command line), with an actionable message when it fails. */
export function loadScenario(nameOrPath: string): Result<Scenario> {
  const builtin = BUILTIN_SCENARIOS[nameOrPath];
  if (builtin) return parsed(builtin, nameOrPath);
  const path = resolve(nameOrPath);
  const text = readScenarioFile(path);
  if (!text.ok) {
    if (text.code === 'SIM_UNKNOWN_SCENARIO') {
      return { ok: false, code: 'SIM_UNKNOWN_SCENARIO', message: `No scenario "${nameOrPath}": not a built-in (${Object.keys(BUILTIN_SCENARIOS).join(', ')}) and no file at ${path}.` };
    }
    return text;
  }
  return parseText(text.value, path, nameOrPath);
}

/**
 * Load a scenario named over the contract: a built-in, the scenario the host was started with,
 * or `<dataDir>/scenarios/<name>.json`. Never any other path.
 */
export function loadScenarioByName(name: string, dataDir: string, started: Scenario | null): Result<Scenario> {
  const builtin = BUILTIN_SCENARIOS[name];
  if (builtin) return parsed(builtin, name);
  if (started && started.name === name) return { ok: true, value: started };
  const stem = name.endsWith('.json') ? name.slice(0, -5) : name;
  if (!SCENARIO_NAME.test(stem) || stem.includes('..')) {
    return { ok: false, code: 'SIM_UNKNOWN_SCENARIO', message: `"${name.slice(0, 80)}" is not a scenario name: use a built-in (${Object.keys(BUILTIN_SCENARIOS).join(', ')}) or the name of a file in the data folder's ${SCENARIOS_FOLDER} folder.` };
  }
  const path = join(dataDir, SCENARIOS_FOLDER, `${stem}.json`);
  const text = readScenarioFile(path);
  if (!text.ok) {
    if (text.code === 'SIM_UNKNOWN_SCENARIO') {
      return { ok: false, code: 'SIM_UNKNOWN_SCENARIO', message: `No scenario "${stem}": not a built-in (${Object.keys(BUILTIN_SCENARIOS).join(', ')}) and no ${stem}.json in ${join(dataDir, SCENARIOS_FOLDER)}.` };
    }
    return text;
  }
  return parseText(text.value, path, stem);
}

/** Read a scenario file: a regular file no larger than {@link MAX_SCENARIO_BYTES}. */
function readScenarioFile(path: string): Result<string> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { ok: false, code: 'SIM_UNKNOWN_SCENARIO', message: `no file at ${path}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, code: 'SIM_BAD_SCENARIO', message: `${path} is not a regular file, so it is not a scenario.` };
    if (st.size > MAX_SCENARIO_BYTES) {
      return { ok: false, code: 'SIM_BAD_SCENARIO', message: `${path} is ${st.size} bytes; a scenario file may be at most ${MAX_SCENARIO_BYTES} bytes.` };
    }
    const buf = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, buf, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, value: buf.subarray(0, read).toString('utf8') };
  } catch (err) {
    return { ok: false, code: 'SIM_BAD_SCENARIO', message: `${path} could not be read (${(err as NodeJS.ErrnoException).code ?? 'I/O error'}).` };
  } finally {
    closeSync(fd);
  }
}

function parseText(text: string, path: string, label: string): Result<Scenario> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input: say where, not what
    return { ok: false, code: 'SIM_BAD_SCENARIO', message: `${path} is not a scenario: it is not valid JSON.` };
  }
  return parsed(input, label);
}

function parsed(input: unknown, label: string): Result<Scenario> {
  const p = parseScenario(input);
  if (!p.ok) return { ok: false, code: 'SIM_BAD_SCENARIO', message: `Scenario "${label}": ${p.message}` };
  return { ok: true, value: p.value };
}

/** Built-in scenarios and those in `<dataDir>/scenarios/`, for the Simulator panel. */
export function listScenarios(dataDir?: string): { name: string; description: string; deviceCount: number }[] {
  const list = Object.values(BUILTIN_SCENARIOS).map((s) => ({
    name: s.name,
    description: s.description ?? '',
    deviceCount: s.devices.length,
  }));
  if (!dataDir) return list;
  let files: string[];
  try {
    files = readdirSync(join(dataDir, SCENARIOS_FOLDER)).filter((f) => f.endsWith('.json'));
  } catch {
    return list; // no scenarios folder: only the built-ins
  }
  for (const f of files.slice(0, 200)) {
    const r = loadScenarioByName(f, dataDir, null);
    if (r.ok) list.push({ name: f.slice(0, -5), description: r.value.description ?? '', deviceCount: r.value.devices.length });
  }
  return list;
}
