/**
 * Files that hold health data or secrets (docs/security.md "Files on disk"): folders 0700, files
 * 0600, whole-file rewrites through temp file + fsync + rename, and one test for "the disk is
 * full" errors. Shared by the host and the standalone broker (the broker imports only itself and
 * src/shared, so this lives here).
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  close as closeAsync,
  fsync as fsyncAsync,
  open as openAsync,
  rename as renameAsync,
  write as writeAsync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Mode of private folders. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of private files. */
export const PRIVATE_FILE_MODE = 0o600;

const hasModes = process.platform !== 'win32';

/**
 * Create a private folder (and its parents) 0700. With `isExistingTightened` (the data folder), an
 * existing folder we own is tightened to 0700 too, unless it is shared on purpose (sticky bit,
 * like /tmp); a folder the user chose for exports is left as it is.
 */
export function makePrivateDir(path: string, options: { isExistingTightened?: boolean } = {}): void {
  const created = makeDirWithParents(path);
  if (!hasModes) return;
  if (created) {
    chmodSync(path, PRIVATE_DIR_MODE);
    return;
  }
  if (!options.isExistingTightened) return;
  const st = statSync(path);
  const isOurs = typeof process.getuid !== 'function' || st.uid === process.getuid();
  const isShared = (st.mode & 0o1000) !== 0;
  if (isOurs && !isShared && (st.mode & 0o077) !== 0) chmodSync(path, PRIVATE_DIR_MODE);
}

/**
 * `mkdir -p` one level at a time (0700). Node's `mkdirSync(…, { recursive: true })` never returns
 * on some file systems that answer ENOENT for every create (procfs); this fails at once instead.
 * Returns whether `path` itself was created.
 */
function makeDirWithParents(path: string): boolean {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
    } catch (err) {
      // created meanwhile by another writer: fine; anything else is the caller's to report
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw err;
    }
  }
  return missing.length > 0;
}

/** Open a private file (default for appending), created 0600; an existing regular file of ours is tightened to 0600. */
export function openPrivate(path: string, flags: 'a' | 'w' | 'a+' | 'r+' = 'a'): number {
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  if (!hasModes) return fd;
  try {
    const st = fstatSync(fd);
    const isOurs = typeof process.getuid !== 'function' || st.uid === process.getuid();
    // never change the mode of a device or someone else's file (as root, /dev/full is "ours")
    if (st.isFile() && isOurs && (st.mode & 0o077) !== 0) fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/** Write all of `data` at the file position (writeSync may write less than asked). */
export function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * Replace a file atomically and durably: write `<path>.tmp` (0600), fsync it, rename it over
 * `path`, fsync the folder. After a crash or power loss the file is the old or the new one.
 */
export function writePrivateFileAtomic(path: string, data: string | Buffer, options: { isSynced?: boolean } = {}): void {
  const isSynced = options.isSynced ?? true;
  const tmp = `${path}.tmp`;
  const fd = openPrivate(tmp, 'w');
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (isSynced) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch (cleanupErr) {
      void cleanupErr; // the temp file may not exist; the write error is what matters
    }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  if (isSynced) syncDir(dirname(path));
}

/**
 * {@link writePrivateFileAtomic} off the event loop (libuv's thread pool): write `<path>.tmp` (0600),
 * fsync, close, rename over `path`, fsync the folder; `done` gets the first error or null. Small
 * files only (one write call).
 */
export function writePrivateFileAtomicInBackground(path: string, data: string, done: (err: NodeJS.ErrnoException | null) => void): void {
  const tmp = `${path}.bg.tmp`; // not the synchronous writer's temp file: both may run at once
  const buf = Buffer.from(data, 'utf8');
  openAsync(tmp, 'w', PRIVATE_FILE_MODE, (openErr, fd) => {
    if (openErr) return done(openErr);
    const finish = (err: NodeJS.ErrnoException | null): void => closeAsync(fd, (closeErr) => {
      if (err || closeErr) return done(err ?? closeErr);
      renameAsync(tmp, path, (renameErr) => {
        if (renameErr || !hasModes) return done(renameErr);
        openAsync(dirname(path), 'r', (dirErr, dirFd) => {
          if (dirErr) return done(null); // a folder that cannot be opened cannot be synced; the data was
          fsyncAsync(dirFd, () => closeAsync(dirFd, () => done(null))); // EINVAL on some file systems: the rename is still atomic
        });
      });
    });
    writeAsync(fd, buf, 0, buf.length, null, (writeErr, written) => {
      if (writeErr || written !== buf.length) return finish(writeErr ?? Object.assign(new Error(`short write to ${tmp}`), { code: 'EIO' }));
      fsyncAsync(fd, (syncErr) => finish(syncErr));
    });
  });
}

/** fsync a folder so a rename or a new file in it survives power loss (no-op where folders cannot be opened). */
export function syncDir(dir: string): void {
  if (!hasModes) return;
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    void err; // a folder that cannot be opened cannot be synced; the data itself was synced
    return;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    void err; // some file systems refuse fsync on folders (EINVAL); the rename is still atomic
  } finally {
    closeSync(fd);
  }
}

/** Plain words for a storage error, for notices and manifests. */
export function storageErrorReason(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? String((err as NodeJS.ErrnoException).code) : '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') return 'disk full';
  if (code === 'EROFS') return 'disk read-only';
  if (code === 'EIO') return 'disk I/O error';
  return err instanceof Error ? err.message : String(err);
}
