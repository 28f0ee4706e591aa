import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireScope } from '@observe/access';

import { TelemetryIngestion } from './telemetry-ingestion';
import { TelemetryExportRequest, TelemetryReceiptSchema } from './telemetry.requests';

@ApiTags('ai-agents')
@Controller('api/v1/ai-agents/telemetry')
export class TelemetryController {
  constructor(private readonly ingestion: TelemetryIngestion) {}

  @Post()
  @HttpCode(200)
  @RequireScope('ai-agents:write', { ingestion: true })
  @ApiOperation({
    operationId: 'ingestAiAgentTelemetry',
    summary: "Send AI agents' GenAI spans (OTLP/JSON traces)",
    description:
      'Counts calls, tokens, spend, tool calls and errors per agent and UTC day. Spend comes ' +
      'from gen_ai.usage.cost when a span has it, else from the price table (AI_AGENT_PRICES). ' +
      'A span (traceId, spanId) counts once, so retries are safe. A malformed span is a 400 ' +
      'naming its path; nothing is stored.',
  })
  @ApiOkResponse({ type: TelemetryReceiptSchema })
  ingest(@Body() body: TelemetryExportRequest) {
    return this.ingestion.ingest(body.resourceSpans);
  }
}
