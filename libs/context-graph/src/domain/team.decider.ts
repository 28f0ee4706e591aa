import { Decider, DomainEvent } from '@observe/commands';
import { ValidationError } from '@observe/core';

import { sameData } from './same-data';

export type TeamMember = { id: string; name: string | null; email: string | null };

export type TeamRegisteredData = { teamId: string; name: string; members: TeamMember[] };

export type TeamEvent = DomainEvent<'TeamRegistered', TeamRegisteredData>;

export type RegisterTeam = { type: 'RegisterTeam' } & TeamRegisteredData;

export type TeamCommand = RegisterTeam;

export interface TeamState {
  team: TeamRegisteredData | null;
}

/**
 * A team is registered whole: registering it again replaces its name and
 * members (a new TeamRegistered), and registering the same again writes nothing.
 */
export const teamDecider: Decider<TeamState, TeamCommand, TeamEvent> = {
  initialState: () => ({ team: null }),

  evolve(_state, event) {
    return { team: event.data };
  },

  decide(command, state) {
    const seen = new Set<string>();
    for (const member of command.members) {
      if (seen.has(member.id)) {
        throw new ValidationError(`member ${member.id} is listed twice`, [
          { field: 'members', message: `${member.id} appears more than once` },
        ]);
      }
      seen.add(member.id);
    }

    const data: TeamRegisteredData = {
      teamId: command.teamId,
      name: command.name,
      members: command.members,
    };
    if (state.team && sameData(state.team, data)) return [];
    return [{ type: 'TeamRegistered', data }];
  },
};
