/**
 * The start form's participant and session ids, kept while the user moves between views (the
 * Recording view unmounts) so a finished session is followed by the next number, not 01/01.
 */
import { create } from 'zustand';

interface SessionFormState {
  subjectId: string;
  sessionId: string;
  /** False until the form has been filled from the recorded sessions or by the user. */
  isFilled: boolean;
  set(ids: { subjectId?: string; sessionId?: string }): void;
}

/** The start form store. */
export const useSessionForm = create<SessionFormState>()((set) => ({
  subjectId: '01',
  sessionId: '01',
  isFilled: false,
  set: (ids) => set({ ...ids, isFilled: true }),
}));
