import { ApiProperty } from '@nestjs/swagger';
import { IsArray } from 'class-validator';

/** An OTLP/JSON ExportTraceServiceRequest; spans are checked one by one, with their paths. */
export class TelemetryExportRequest {
  @ApiProperty({
    description:
      'OTLP/JSON resourceSpans (as the OTLP/HTTP exporter sends them with the JSON encoding). ' +
      'Spans with gen_ai.* attributes (OpenTelemetry GenAI semantic conventions) are counted: ' +
      'gen_ai.agent.id / gen_ai.agent.name, gen_ai.operation.name (execute_tool with ' +
      'gen_ai.tool.name for tool calls), gen_ai.response.model / gen_ai.request.model, ' +
      'gen_ai.usage.input_tokens, gen_ai.usage.output_tokens, optional gen_ai.usage.cost ' +
      '(USD), and status code ERROR (or error.type) for errors. Other spans are ignored.',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  @IsArray()
  resourceSpans!: unknown[];
}

export class TelemetryReceiptSchema {
  @ApiProperty({ description: 'GenAI spans stored now' }) accepted!: number;
  @ApiProperty({ description: 'GenAI spans already stored (a retry); counted once' })
  duplicates!: number;
  @ApiProperty({ description: 'Spans without gen_ai.* attributes' }) ignored!: number;
  @ApiProperty({ type: [String], description: 'Agent ids the spans belong to' }) agents!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'Always empty: spans are telemetry, not domain events',
  })
  events!: unknown[];
}
