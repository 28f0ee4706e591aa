import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { PublicRoute } from './route-access.decorator';
import { FULL_TOKEN_CLASSES, SCOPE_AREAS, ScopeArea } from './scope-catalog';

@ApiTags('access')
@Controller('api/v1/scopes')
export class ScopesController {
  @Get()
  @PublicRoute()
  @ApiOperation({
    operationId: 'listScopes',
    summary: 'List the scopes a token can hold',
    description:
      'Every area has :read and :write; write implies nothing else. Also lists what only a full token may do.',
  })
  @ApiOkResponse({ description: 'The scope catalog' })
  list() {
    return {
      data: (Object.keys(SCOPE_AREAS) as ScopeArea[]).flatMap((area) => [
        { scope: `${area}:read`, area, access: 'read', description: `Read: ${SCOPE_AREAS[area]}` },
        {
          scope: `${area}:write`,
          area,
          access: 'write',
          description: `Write: ${SCOPE_AREAS[area]}`,
        },
      ]),
      fullTokenOnly: Object.values(FULL_TOKEN_CLASSES),
    };
  }
}
