import { Injectable } from '@nestjs/common';

import { Clock, ValidationError } from '@observe/core';

import { OnCallShift } from '../domain';
import { onCallView, OnCallScheduleQueries } from '../read-model/on-call-schedule.queries';
import { ScheduleOnCallView } from '../read-model/on-call-schedule.view';

export interface TeamOnCallView {
  teamId: string;
  at: string;
  /** Each of the team's schedules and who it has on call then. */
  schedules: ScheduleOnCallView[];
  /** Everyone on call for the team then, each once. */
  people: string[];
}

const MAX_SHIFT_RANGE_MS = 93 * 24 * 3_600_000;

/** Who is on call now or at a given time, for a schedule or for a team. */
@Injectable()
export class WhoIsOnCall {
  constructor(
    private readonly schedules: OnCallScheduleQueries,
    private readonly clock: Clock,
  ) {}

  forSchedule(scheduleId: string, at?: string): Promise<ScheduleOnCallView> {
    return this.schedules.onCallAt(scheduleId, this.instant(at));
  }

  async forTeam(teamId: string, at?: string): Promise<TeamOnCallView> {
    const instant = this.instant(at);
    const schedules = (await this.schedules.forTeam(teamId)).map(({ schedule }) =>
      onCallView(schedule, instant),
    );
    const people = [
      ...new Set(schedules.flatMap((view) => (view.onCall ? [view.onCall.personId] : []))),
    ];
    return { teamId, at: instant.toISOString(), schedules, people };
  }

  shifts(scheduleId: string, from: string, to: string): Promise<OnCallShift[]> {
    const [start, end] = [new Date(from), new Date(to)];
    if (end.getTime() - start.getTime() > MAX_SHIFT_RANGE_MS) {
      return Promise.reject(rangeTooLong());
    }
    return this.schedules.shifts(scheduleId, start, end);
  }

  private instant(at?: string): Date {
    return at ? new Date(at) : this.clock.now();
  }
}

function rangeTooLong(): Error {
  const message = 'the range may span at most 93 days';
  return new ValidationError(message, [{ field: 'to', message }]);
}
