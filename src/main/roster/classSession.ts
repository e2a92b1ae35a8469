/** A class in progress: per-athlete running totals fed by each athlete's active HR source. */
import type { Participant } from '../../shared/roster/participant';
import {
  addHrReading,
  newTotals,
  summarise,
  type AthleteTotals,
  type ClassSummary,
} from '../../shared/roster/summary';

/** One class. */
export class ClassSession {
  private readonly totals = new Map<string, { participant: Participant; totals: AthleteTotals }>();

  constructor(readonly startedAtMs: number) {}

  /** Add an HR reading of the athlete's active source. */
  addHr(participant: Participant, tMs: number, hrBpm: number): void {
    if (tMs < this.startedAtMs) return;
    let entry = this.totals.get(participant.id);
    if (!entry) {
      entry = { participant, totals: newTotals() };
      this.totals.set(participant.id, entry);
    }
    entry.participant = participant;
    addHrReading(entry.totals, tMs, hrBpm, participant);
  }

  /** The summary of every athlete of the roster (and anyone who left the roster during the class). */
  summary(participants: readonly Participant[], endedAtMs: number): ClassSummary {
    const seen = new Set<string>();
    const athletes = participants.map((p) => {
      seen.add(p.id);
      return summarise(p, this.totals.get(p.id)?.totals ?? newTotals());
    });
    for (const [id, e] of this.totals) if (!seen.has(id)) athletes.push(summarise(e.participant, e.totals));
    return { startedAtMs: this.startedAtMs, endedAtMs, athletes };
  }
}
