import { AnthropicTool, ToolDefinition } from './tool-definition';

/** Anthropic takes the full schema: no strict rewrite, formats and lengths kept. */
export function toAnthropicTool(tool: ToolDefinition): AnthropicTool {
  return { name: tool.name, description: tool.description, input_schema: tool.inputSchema };
}
