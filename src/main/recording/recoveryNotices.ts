/** What the user is told about sessions recovered at start (the app had ended while they recorded). */
import type { SessionManifest } from '../../shared/recording/manifest';
import type { UiEvents } from '../events';

/** One warning per recovered session, saying what happened and that its data is kept. */
export function noticeRecoveredSessions(events: Pick<UiEvents, 'notice'>, recovered: readonly Pick<SessionManifest, 'base'>[]): void {
  for (const m of recovered) {
    events.notice('warning', `Session ${m.base} was not stopped (the app ended unexpectedly); it has been recovered.`, 'REC_TORN_RECORD');
  }
}
