/**
 * Which participant owns a device in a session: a participant listing the device owns it; a
 * participant with an empty device list owns every device no one lists (the default single
 * participant owns everything); otherwise the device belongs to no one (empty participant cell).
 */
import type { SessionParticipant } from '../../../shared/recording/records';

/** Device → participant lookup of one session. */
export class ParticipantMap {
  private readonly explicit = new Map<string, string>();
  private readonly catchAll: string;

  constructor(participants: readonly SessionParticipant[]) {
    for (const p of participants) for (const d of p.deviceIds) if (!this.explicit.has(d)) this.explicit.set(d, p.id);
    this.catchAll = participants.find((p) => p.deviceIds.length === 0)?.id ?? '';
  }

  /** Participant id owning `deviceId`, or '' for none. */
  ownerOf(deviceId: string): string {
    return this.explicit.get(deviceId) ?? this.catchAll;
  }
}
