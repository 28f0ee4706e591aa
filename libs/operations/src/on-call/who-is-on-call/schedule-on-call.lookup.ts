import { Injectable } from '@nestjs/common';

import { OnCallContact, OnCallLookup, OnCallQuery } from '@observe/context-graph';

import { EscalationPolicyQueries } from '../../escalations/read-model/escalation-policy.queries';
import { OnCallSchedule, whoIsOnCall } from '../domain';
import { OnCallScheduleQueries } from '../read-model/on-call-schedule.queries';

/**
 * The context graph's on-call port, backed by schedules and escalation
 * policies: a team's contacts are whoever its schedules have on call; a
 * service's are the first level of the escalation policy it follows (its
 * people, and whoever its schedules have on call).
 */
@Injectable()
export class ScheduleOnCallLookup extends OnCallLookup {
  constructor(
    private readonly schedules: OnCallScheduleQueries,
    private readonly policies: EscalationPolicyQueries,
  ) {
    super();
  }

  async contactsFor(query: OnCallQuery): Promise<OnCallContact[]> {
    const contacts: OnCallContact[] = [];
    for (const teamId of new Set(query.teams)) {
      for (const { schedule } of await this.schedules.forTeam(teamId)) {
        const contact = scheduleContact(schedule, query.at, { kind: 'team', id: teamId });
        if (contact) contacts.push(contact);
      }
    }
    for (const serviceId of new Set(query.services)) {
      contacts.push(...(await this.serviceContacts(serviceId, query.at)));
    }
    return dedupe(contacts);
  }

  private async serviceContacts(serviceId: string, at: Date): Promise<OnCallContact[]> {
    const policy = await this.policies.forService(serviceId);
    const first = policy?.levels[0];
    if (!policy || !first) return [];

    const forService = { kind: 'service' as const, id: serviceId };
    const scheduleIds = first.targets.filter((t) => t.kind === 'schedule').map((t) => t.id);
    const loaded = new Map(
      (await this.schedules.loadMany(scheduleIds)).map(({ schedule }) => [schedule.id, schedule]),
    );
    return first.targets.flatMap((target): OnCallContact[] => {
      if (target.kind === 'person') {
        return [
          {
            for: forService,
            person: person(target.id),
            source: `escalation-policy:${policy.id}`,
            until: null,
            link: {
              api: `/api/v1/escalation-policies/${policy.id}`,
              product: `/escalation-policies/${policy.id}`,
            },
          },
        ];
      }
      const schedule = loaded.get(target.id);
      const contact = schedule && scheduleContact(schedule, at, forService);
      return contact ? [contact] : [];
    });
  }
}

function scheduleContact(
  schedule: OnCallSchedule,
  at: Date,
  forWhat: OnCallContact['for'],
): OnCallContact | undefined {
  const shift = whoIsOnCall(schedule, at);
  if (!shift) return undefined;
  return {
    for: forWhat,
    person: person(shift.personId),
    source: `on-call-schedule:${schedule.id}`,
    until: shift.shiftEnd,
    link: {
      api: `/api/v1/on-call/schedules/${schedule.id}`,
      product: `/on-call/schedules/${schedule.id}`,
    },
  };
}

/** Schedules name people by handle or email; the graph may know more of them. */
function person(id: string): OnCallContact['person'] {
  return { id, name: null, email: id.includes('@') ? id : null };
}

function dedupe(contacts: OnCallContact[]): OnCallContact[] {
  const seen = new Set<string>();
  return contacts.filter((contact) => {
    const key = `${contact.for.kind}:${contact.for.id}:${contact.person.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
