import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { AnalysisReader } from './analysis.reader';
import { AnalysisResponse } from './analysis.responses';

@ApiTags('incidents')
@Controller('api/v1/incidents')
export class AnalysisController {
  constructor(private readonly analyses: AnalysisReader) {}

  @Get(':id/analysis')
  @RequireScope('incidents:read')
  @ApiOperation({
    operationId: 'getIncidentAnalysis',
    summary: "Read the analyst's verdict on an incident",
    description:
      '`{status: "pending"}` until the analyst has stored its verdict (an IncidentAnalyzed ' +
      'event); then a summary, ranked probable causes with confidence and evidence links, ' +
      'suggested next actions, similar past incidents and the analyst version.',
  })
  @ApiOkResponse({ type: AnalysisResponse })
  analysis(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.analyses.forIncident(id);
  }
}
