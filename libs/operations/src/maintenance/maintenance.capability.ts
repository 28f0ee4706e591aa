import { Capability } from '../shared/capability';
import { ChangeMaintenanceWindowHandler } from './change-window/change-window.handler';
import { MaintenanceWindowsController } from './http/maintenance-windows.controller';
import { MaintenanceWindowQueries } from './read-model/maintenance-window.queries';
import { maintenanceWindowsProjection } from './read-model/maintenance-windows.projection';
import { maintenanceWindowsSchema } from './read-model/maintenance-windows.schema';
import { ScheduleMaintenanceWindowHandler } from './schedule-window/schedule-window.handler';
import { MaintenanceSuppression } from './suppression/maintenance-suppression';
import { MaintenanceSuppressionPolicy } from './suppression/maintenance-suppression.policy';

export { MaintenanceSuppressionPolicy };

export const maintenanceCapability: Capability = {
  controllers: [MaintenanceWindowsController],
  providers: [
    MaintenanceWindowQueries,
    ScheduleMaintenanceWindowHandler,
    ChangeMaintenanceWindowHandler,
    MaintenanceSuppression,
    MaintenanceSuppressionPolicy,
  ],
  projections: [maintenanceWindowsProjection],
  schemas: [maintenanceWindowsSchema],
};
