import { Capability } from '../shared/capability';
import { OnCallController } from './http/on-call.controller';
import { ScheduleCommandsHandler } from './manage-schedules/schedule-commands.handler';
import { OnCallScheduleQueries } from './read-model/on-call-schedule.queries';
import { onCallSchedulesProjection } from './read-model/on-call-schedules.projection';
import { onCallSchedulesSchema } from './read-model/on-call-schedules.schema';
import { ScheduleOnCallLookup } from './who-is-on-call/schedule-on-call.lookup';
import { WhoIsOnCall } from './who-is-on-call/who-is-on-call';

export const onCallCapability: Capability = {
  controllers: [OnCallController],
  providers: [OnCallScheduleQueries, ScheduleCommandsHandler, WhoIsOnCall, ScheduleOnCallLookup],
  projections: [onCallSchedulesProjection],
  schemas: [onCallSchedulesSchema],
};
