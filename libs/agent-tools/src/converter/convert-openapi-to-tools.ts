import { toAnthropicTool } from './anthropic-tool';
import { toLangChainTool } from './langchain-tool';
import { OpenApiDocument } from './openapi-document';
import { toOpenAiTool } from './openai-tool';
import { isOfferedTo } from './scope-narrowing';
import { buildToolCatalog } from './tool-catalog';
import { ConvertedTools, ToolConversionOptions } from './tool-definition';

/**
 * The API as tools for OpenAI, Anthropic and LangChain, plus the neutral
 * catalog the runtime executes, all sorted by name. With `scopes` (and
 * `fullToken`) only what that token may call is listed. The whole document is
 * checked before narrowing, so a clash fails whichever token asks.
 */
export function convertOpenApiToTools(
  document: OpenApiDocument,
  options: ToolConversionOptions = {},
): ConvertedTools {
  const catalog = buildToolCatalog(document).filter((tool) => isOfferedTo(tool, options));
  return {
    openai: catalog.map(toOpenAiTool),
    anthropic: catalog.map(toAnthropicTool),
    langchain: catalog.map(toLangChainTool),
    catalog,
  };
}
