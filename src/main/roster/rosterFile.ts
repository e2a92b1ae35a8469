/**
 * The roster file in the data directory: JSON, written atomically (temporary file, fsync, rename)
 * so a crash mid-write leaves the previous roster intact. A file that cannot be read is moved
 * aside (never overwritten) and reported.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { writePrivateFileAtomic } from '../../broker/privateFiles';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import { emptyRoster, rosterSchema, type Roster } from '../../shared/roster/participant';
import { describeZodError } from '../../shared/contract/wire';

/** Name of the roster file in the data directory. */
const ROSTER_FILE = 'roster.json';

/** Write `text` to `path` atomically and durably, 0600 (one mechanism: src/broker/privateFiles.ts). */
export function writeFileAtomic(path: string, text: string): void {
  writePrivateFileAtomic(path, text);
}

/** Load the roster; a missing file is an empty roster. A bad file is moved aside and reported as an error value. */
export function loadRoster(dataDir: string, now: () => number = Date.now): Result<Roster> & { movedTo?: string } {
  const path = join(dataDir, ROSTER_FILE);
  if (!existsSync(path)) return ok(emptyRoster());
  let problem: string;
  try {
    const parsed = rosterSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) return ok(parsed.data);
    problem = describeZodError(parsed.error);
  } catch (err) {
    problem = (err as Error).message;
  }
  const movedTo = `${path}.unreadable-${Math.round(now())}`;
  renameSync(path, movedTo);
  return {
    ...fail(
      'ROSTER_BAD_FILE',
      `The roster file could not be read (${problem}). It was kept as ${movedTo}; starting with an empty roster.`,
    ),
    movedTo,
  };
}

/** Save the roster atomically. */
export function saveRoster(dataDir: string, roster: Roster): Result<null> {
  try {
    writeFileAtomic(join(dataDir, ROSTER_FILE), JSON.stringify(roster, null, 2));
    return ok(null);
  } catch (err) {
    return fail('ROSTER_SAVE_FAILED', `Could not save the roster in ${dataDir}: ${(err as Error).message}`);
  }
}
