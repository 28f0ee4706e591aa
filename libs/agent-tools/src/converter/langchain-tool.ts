import { LangChainTool, ToolDefinition } from './tool-definition';

/** The full schema, which LangChain JS `tool()` and Python `StructuredTool` accept. */
export function toLangChainTool(tool: ToolDefinition): LangChainTool {
  return {
    name: tool.name,
    description: tool.description,
    schema: tool.inputSchema,
    metadata: {
      method: tool.method,
      path: tool.path,
      scope: tool.scope,
      operationId: tool.operationId,
    },
  };
}
