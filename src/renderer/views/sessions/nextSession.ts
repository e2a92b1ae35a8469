/**
 * The session id to suggest for the next recording of a participant: researchers record many
 * sessions per participant, so after a session the form proposes the next free number for the
 * same participant (keeping the zero padding: 01 → 02, 09 → 10), not 01 again.
 */

/** Sessions as the list gives them (participant and session ids). */
export interface RecordedSessionIds {
  readonly subjectId: string;
  readonly sessionId: string;
}

/** The next session id after `sessionId` for `subjectId`, past every numbered session already recorded. */
export function nextSessionId(subjectId: string, sessionId: string, recorded: readonly RecordedSessionIds[]): string {
  const m = /^(.*?)(\d+)$/.exec(sessionId.trim());
  const prefix = m ? m[1]! : sessionId.trim();
  const width = m ? m[2]!.length : 2;
  let next = m ? Number(m[2]) + 1 : 2;
  for (const r of recorded) {
    if (r.subjectId !== subjectId) continue;
    const n = /^(.*?)(\d+)$/.exec(r.sessionId);
    if (n && n[1] === prefix && Number(n[2]) >= next) next = Number(n[2]) + 1;
  }
  return `${prefix}${String(next).padStart(width, '0')}`;
}

/** What the start form proposes when it opens: the last participant and their next session, or 01/01. */
export function suggestedIds(recorded: readonly (RecordedSessionIds & { readonly startIso: string })[]): { subjectId: string; sessionId: string } {
  const last = [...recorded].sort((a, b) => b.startIso.localeCompare(a.startIso))[0];
  if (!last) return { subjectId: '01', sessionId: '01' };
  return { subjectId: last.subjectId, sessionId: nextSessionId(last.subjectId, last.sessionId, recorded) };
}
