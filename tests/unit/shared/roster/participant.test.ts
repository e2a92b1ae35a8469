/** Assignment: one sensor, one participant; handing a strap over moves it; preference order is kept. */
import { describe, expect, it } from 'vitest';
import {
  assignDevice,
  emptyRoster,
  ownerOf,
  participantSchema,
  removeParticipant,
  unassignDevice,
  upsertParticipant,
} from '../../../../src/shared/roster/participant';

function roster() {
  let r = emptyRoster();
  for (const id of ['ana', 'ben']) r = upsertParticipant(r, participantSchema.parse({ id, name: id }));
  return r;
}

describe('sensor assignment', () => {
  it('moves a strap handed to another athlete (one sensor, one participant)', () => {
    let r = assignDevice(roster(), 'ant:120:7', 'ana')!;
    expect(ownerOf(r, 'ant:120:7')?.id).toBe('ana');
    r = assignDevice(r, 'ant:120:7', 'ben')!;
    expect(ownerOf(r, 'ant:120:7')?.id).toBe('ben');
    expect(r.participants.find((p) => p.id === 'ana')!.deviceIds).toEqual([]);
  });

  it('keeps several sensors per participant in preference order, inserting at a position', () => {
    let r = assignDevice(roster(), 'strap', 'ana')!;
    r = assignDevice(r, 'pm', 'ana')!;
    r = assignDevice(r, 'watch', 'ana', 0)!;
    expect(r.participants[0]!.deviceIds).toEqual(['watch', 'strap', 'pm']);
    r = assignDevice(r, 'pm', 'ana', 0)!;
    expect(r.participants[0]!.deviceIds).toEqual(['pm', 'watch', 'strap']);
  });

  it('refuses an unknown participant and un-ignores a sensor once it is assigned', () => {
    expect(assignDevice(roster(), 'x', 'nobody')).toBeNull();
    const r = assignDevice({ ...roster(), ignoredDeviceIds: ['x'] }, 'x', 'ana')!;
    expect(r.ignoredDeviceIds).toEqual([]);
  });

  it('unassigns, and removing a participant frees their sensors', () => {
    let r = assignDevice(roster(), 's', 'ana')!;
    expect(ownerOf(unassignDevice(r, 's'), 's')).toBeNull();
    r = removeParticipant(r, 'ana');
    expect(ownerOf(r, 's')).toBeNull();
  });

  it('an upserted participant taking a sensor takes it from its previous owner', () => {
    let r = assignDevice(roster(), 's', 'ana')!;
    r = upsertParticipant(r, participantSchema.parse({ id: 'ben', name: 'Ben', deviceIds: ['s'] }));
    expect(ownerOf(r, 's')?.id).toBe('ben');
    expect(r.participants.filter((p) => p.deviceIds.includes('s'))).toHaveLength(1);
  });
});
