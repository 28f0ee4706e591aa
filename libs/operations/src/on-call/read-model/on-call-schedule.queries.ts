import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { ListPage, newestFirstPage } from '../../shared/list-page';
import { SqlConditions } from '../../shared/sql-conditions';
import { OnCallSchedule, OnCallShift, shiftsBetween, whoIsOnCall } from '../domain';
import { ScheduleAggregateState } from '../on-call-schedule.aggregate';
import { OnCallScheduleView, ScheduleOnCallView, toScheduleView } from './on-call-schedule.view';
import { ON_CALL_SCHEDULES_TABLE } from './on-call-schedules.schema';

interface ScheduleRow {
  id: string;
  team_id: string | null;
  state: ScheduleAggregateState;
  created_at: Date;
}

export interface LoadedSchedule {
  schedule: OnCallSchedule;
  teamId: string | null;
}

/** Reads of the schedules read model, and who they put on call when. */
@Injectable()
export class OnCallScheduleQueries {
  constructor(private readonly transactions: Transactions) {}

  async list(filter: {
    teamId?: string;
    limit: number;
    cursor?: string;
  }): Promise<ListPage<OnCallScheduleView>> {
    const conditions = new SqlConditions();
    if (filter.teamId) conditions.add('team_id = ?1', filter.teamId);
    return newestFirstPage(
      this.transactions.current(),
      ON_CALL_SCHEDULES_TABLE,
      conditions,
      filter,
      (row: ScheduleRow) => toScheduleView(scheduleOf(row), row.team_id),
    );
  }

  async get(scheduleId: string): Promise<OnCallScheduleView> {
    const { schedule, teamId } = await this.load(scheduleId);
    return toScheduleView(schedule, teamId);
  }

  async load(scheduleId: string): Promise<LoadedSchedule> {
    const [found] = await this.loadMany([scheduleId]);
    if (!found) throw new NotFoundError('on-call schedule', scheduleId);
    return found;
  }

  async loadMany(scheduleIds: string[]): Promise<LoadedSchedule[]> {
    if (scheduleIds.length === 0) return [];
    const rows: ScheduleRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM ${ON_CALL_SCHEDULES_TABLE} WHERE id = ANY($1)`, [scheduleIds]);
    return rows.map(toLoaded);
  }

  async forTeam(teamId: string): Promise<LoadedSchedule[]> {
    const rows: ScheduleRow[] = await this.transactions
      .current()
      .query(
        `SELECT * FROM ${ON_CALL_SCHEDULES_TABLE} WHERE team_id = $1 ORDER BY created_at, id`,
        [teamId],
      );
    return rows.map(toLoaded);
  }

  async onCallAt(scheduleId: string, at: Date): Promise<ScheduleOnCallView> {
    return onCallView((await this.load(scheduleId)).schedule, at);
  }

  async shifts(scheduleId: string, from: Date, to: Date): Promise<OnCallShift[]> {
    return shiftsBetween((await this.load(scheduleId)).schedule, from, to);
  }
}

export function onCallView(schedule: OnCallSchedule, at: Date): ScheduleOnCallView {
  return {
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    timeZone: schedule.timeZone,
    at: at.toISOString(),
    onCall: whoIsOnCall(schedule, at),
  };
}

// Rows exist only once a schedule is created, so every row holds one.
function scheduleOf(row: ScheduleRow): OnCallSchedule {
  const { schedule } = row.state;
  if (schedule.status === 'absent') throw new NotFoundError('on-call schedule', row.id);
  return schedule.schedule;
}

function toLoaded(row: ScheduleRow): LoadedSchedule {
  return { schedule: scheduleOf(row), teamId: row.team_id };
}
