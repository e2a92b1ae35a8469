/**
 * Classes in gym mode: start, heart-rate totals per athlete while running, end with a summary that
 * is kept, saved (0600) under `<data>/classes/`, and exportable as CSV.
 */
import { join } from 'node:path';
import { makePrivateDir } from '../../broker/privateFiles';
import { fail, ok, type Result } from '../../shared/errors';
import type { Participant } from '../../shared/roster/participant';
import { summaryToCsv, type ClassSummary } from '../../shared/roster/summary';
import { ClassSession } from './classSession';
import { writeFileAtomic } from './rosterFile';

/** What the class runner needs. */
export interface ClassRunnerOptions {
  readonly dataDir: string;
  readonly now: () => number;
  readonly notice: (level: 'info' | 'warning' | 'error', message: string, code?: string) => void;
}

/** The running class (at most one) and the last summary. */
export class ClassRunner {
  private session: ClassSession | null = null;
  private last: ClassSummary | null = null;

  constructor(private readonly options: ClassRunnerOptions) {}

  /** Start of the running class, or null. */
  get startedAtMs(): number | null {
    return this.session?.startedAtMs ?? null;
  }

  /** Start a class (summaries count from now). */
  start(): Result<{ startedAtMs: number }> {
    if (this.session) return fail('ROSTER_CLASS_RUNNING', 'A class is already running; end it first.');
    this.session = new ClassSession(this.options.now());
    return ok({ startedAtMs: this.session.startedAtMs });
  }

  /** Count a heart rate of an athlete (only while a class runs). */
  addHr(owner: Participant, tMs: number, bpm: number): void {
    this.session?.addHr(owner, tMs, bpm);
  }

  /** End the class: the summary is kept, saved in the data directory, and returned. */
  end(participants: readonly Participant[]): Result<ClassSummary> {
    if (!this.session) return fail('ROSTER_NO_CLASS', 'No class is running; start one first.');
    const summary = this.session.summary(participants, this.options.now());
    this.session = null;
    this.last = summary;
    try {
      const dir = join(this.options.dataDir, 'classes');
      makePrivateDir(dir);
      writeFileAtomic(join(dir, `${summaryFileStem(summary)}.json`), JSON.stringify(summary, null, 2));
    } catch (err) {
      this.options.notice('error', `The class summary could not be saved: ${(err as Error).message}`, 'ROSTER_SAVE_FAILED');
    }
    return ok(summary);
  }

  /** The last class summary. */
  lastSummary(): ClassSummary | null {
    return this.last;
  }

  /** The last class summary as CSV. */
  summaryCsv(): Result<{ csv: string; fileName: string }> {
    if (!this.last) return fail('ROSTER_NO_CLASS', 'No class has ended yet, so there is no summary to export.');
    return ok({ csv: summaryToCsv(this.last), fileName: `${summaryFileStem(this.last)}.csv` });
  }
}

function summaryFileStem(s: ClassSummary): string {
  return `class-${new Date(s.startedAtMs).toISOString().replace(/[:.]/g, '-')}`;
}
