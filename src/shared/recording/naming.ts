/**
 * BIDS-like names of recorded sessions: `sub-<participant>_ses-<session>_<YYYYMMDDTHHMMSS>`
 * (local wall-clock time of the start), with ids reduced to letters and digits as BIDS labels are.
 */

/** Reduce an id to `[A-Za-z0-9]`; empty results become `x` so a name is never malformed. */
export function sanitizeLabel(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9]/g, '');
  return clean.length > 0 ? clean.slice(0, 64) : 'x';
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `YYYYMMDDTHHMMSS` of an epoch time in the given UTC offset (minutes east of UTC). */
export function compactStamp(epochMs: number, utcOffsetMin: number): string {
  const d = new Date(epochMs + utcOffsetMin * 60_000);
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
  );
}

/** Base name shared by every file of a session (and its folder name). */
export function sessionBaseName(subjectId: string, sessionId: string, startMs: number, utcOffsetMin: number): string {
  return `sub-${sanitizeLabel(subjectId)}_ses-${sanitizeLabel(sessionId)}_${compactStamp(startMs, utcOffsetMin)}`;
}

/** Parts of a session base name, or null when `name` is not one. */
export function parseSessionBaseName(name: string): { subject: string; session: string; stamp: string } | null {
  const m = /^sub-([A-Za-z0-9]+)_ses-([A-Za-z0-9]+)_(\d{8}T\d{6})(?:-\d+)?$/.exec(name);
  return m ? { subject: m[1]!, session: m[2]!, stamp: m[3]! } : null;
}

/** The files of a session, relative to its folder. */
export function sessionFileNames(base: string): {
  readonly records: string;
  readonly raw: string;
  readonly manifest: string;
  readonly longCsv: string;
  readonly manifestExport: string;
  readonly xdf: string;
} {
  return {
    records: `${base}_recording.jsonl`,
    raw: `${base}_raw.jsonl`,
    manifest: `${base}_manifest.json`,
    longCsv: `${base}_samples-long.csv`,
    manifestExport: `${base}_manifest-export.json`,
    xdf: `${base}_lsl.xdf`,
  };
}

/** Per-participant export file names (participant labels sanitized). */
export function participantFileNames(base: string, participantId: string): { readonly wideCsv: string; readonly fit: string } {
  const p = sanitizeLabel(participantId);
  return { wideCsv: `${base}_part-${p}_wide-1hz.csv`, fit: `${base}_part-${p}_activity.fit` };
}
