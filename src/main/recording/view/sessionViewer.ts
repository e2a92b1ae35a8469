/**
 * Opens recorded sessions for the session view: reads the recording file through the same
 * reader the exports use (CRC and shape checked), keeps the index of the last few sessions in
 * memory, reads only the new lines of a live session on each call, and answers range queries.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/errors';
import type { MetricId } from '../../../shared/metrics';
import { VIEW_METRICS, type SessionView } from '../../../shared/contract/sessionView';
import type { SessionManifest } from '../../../shared/recording/manifest';
import { parseSessionBaseName, sessionFileNames } from '../../../shared/recording/naming';
import { readRecords } from '../reader';
import { SessionIndex } from './sessionIndex';

/** Where sessions are found (the recording service). */
export interface SessionSource {
  sessionForReading(sessionId: string): Result<{ dir: string; manifest: SessionManifest; isLive: boolean }>;
}

/** Arguments of {@link SessionViewer.view} (the `recording.view` command's). */
export interface ViewArgs {
  readonly sessionId: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly buckets: number;
  readonly deviceIds?: readonly string[];
  readonly metrics?: readonly MetricId[];
}

interface Entry {
  readonly path: string;
  readonly index: SessionIndex;
  endByte: number;
  lineCount: number;
  /** Reads of this entry run one after the other. */
  reading: Promise<void>;
}

/** Session indexes kept in memory (an hour with 20 devices takes about 12 MB). */
const DEFAULT_CACHED = 3;

/** The session viewer. */
export class SessionViewer {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly sessions: SessionSource,
    private readonly maxCached = DEFAULT_CACHED,
  ) {}

  /** The view of a session range; reads the file (or its new lines) first. */
  async view(args: ViewArgs): Promise<Result<SessionView>> {
    const found = this.sessions.sessionForReading(args.sessionId);
    if (!found.ok) return found;
    const { dir, manifest, isLive } = found.value;
    if (parseSessionBaseName(manifest.base) === null) {
      return fail('REC_BAD_RECORD', `The session ${args.sessionId} has a manifest with an unexpected base name; it cannot be opened.`);
    }
    const path = join(dir, sessionFileNames(manifest.base).records);
    let entry = this.cache.get(args.sessionId);
    try {
      const size = (await stat(path)).size;
      if (!entry || entry.path !== path || size < entry.endByte) entry = this.fresh(args.sessionId, path);
      else this.touch(args.sessionId, entry);
      const e = entry;
      e.reading = e.reading.then(async () => {
        if (size <= e.endByte) return;
        const summary = await readRecords(path, (r) => e.index.note(r), { startByte: e.endByte, startLineNumber: e.lineCount });
        e.endByte = summary.endByte;
        e.lineCount = summary.lineCount;
        e.index.badLines += summary.badLines;
      });
      await e.reading;
    } catch (err) {
      this.cache.delete(args.sessionId);
      return fail('REC_IO_FAILED', `The recording of session ${args.sessionId} could not be read: ${(err as Error).message}`);
    }
    if (!entry.index.header) return fail('REC_BAD_RECORD', `The recording of session ${args.sessionId} has no valid header; it cannot be shown.`);
    return ok(
      entry.index.query(
        { fromMs: args.fromMs, toMs: args.toMs, buckets: args.buckets, deviceIds: args.deviceIds, metrics: args.metrics ?? VIEW_METRICS },
        { sessionId: args.sessionId, state: manifest.state, recovered: manifest.recovered, isLive },
      ),
    );
  }

  private fresh(sessionId: string, path: string): Entry {
    const entry: Entry = { path, index: new SessionIndex(), endByte: 0, lineCount: 0, reading: Promise.resolve() };
    this.touch(sessionId, entry);
    return entry;
  }

  private touch(sessionId: string, entry: Entry): void {
    this.cache.delete(sessionId);
    this.cache.set(sessionId, entry);
    while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }
}
