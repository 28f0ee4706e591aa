import { Provider, Type } from '@nestjs/common';

import { SchemaDefinition } from '@observe/database';
import { Projection } from '@observe/projections';

/** What one capability adds to the operations module. */
export interface Capability {
  controllers: Type<unknown>[];
  providers: Provider[];
  projections: Projection[];
  /** Tables queried outside the projection runner: installed before anything runs. */
  schemas: SchemaDefinition[];
}
