/**
 * The data folder (docs/security.md "Files on disk"): created 0700 (an existing one we own is
 * tightened), and checked for writing before anything starts, so a read-only or impossible folder
 * is one clear sentence naming it and what to do, never a stack trace.
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../shared/errors';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../broker/privateFiles';

/** Why a folder cannot be used, in plain words. */
function whyUnusable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EROFS':
      return 'it is on a read-only disk';
    case 'EACCES':
    case 'EPERM':
      return 'this user may not write there';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'part of that path is a file, not a folder';
    case 'ENOENT':
      return 'it cannot be created there';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    default:
      return `the system refused (${code ?? (err as Error).message})`;
  }
}

/** Create and check the data folder; the error message is one line for the person who started the app. */
export function prepareDataDir(dataDir: string): Result<null> {
  const advice = 'Choose another folder with --data-dir <folder> (or SENSOR_RELAY_DATA), or make this one writable.';
  try {
    makePrivateDir(dataDir, { isExistingTightened: true });
  } catch (err) {
    return fail('DATA_DIR_UNUSABLE', `Sensor Relay cannot use the data folder ${dataDir}: ${whyUnusable(err)}. ${advice}`);
  }
  const probe = join(dataDir, `.write-check-${process.pid}`);
  try {
    writeFileSync(probe, '', { mode: PRIVATE_FILE_MODE });
    unlinkSync(probe);
  } catch (err) {
    return fail('DATA_DIR_UNUSABLE', `Sensor Relay cannot write to the data folder ${dataDir}: ${whyUnusable(err)}. ${advice}`);
  }
  return ok(null);
}
