import { isOfferedTo } from '../converter/scope-narrowing';
import { ConvertedTools, ToolConversionOptions } from '../converter/tool-definition';

/** The three files, by name, as served under /openapi/ and written by the CLI. */
export const TOOL_FILES = {
  openai: 'openai-tools.json',
  anthropic: 'anthropic-tools.json',
  langchain: 'langchain-tools.json',
} as const;

export type ToolFormat = keyof typeof TOOL_FILES;

export const TOOL_FORMATS = Object.keys(TOOL_FILES) as ToolFormat[];

/**
 * The tools a token may be offered, picked from a conversion of the whole
 * document. The lists stay parallel and in name order, so this equals
 * converting with the same options, without converting again.
 */
export function narrowTools(all: ConvertedTools, options: ToolConversionOptions): ConvertedTools {
  const offered = all.catalog.map((tool) => isOfferedTo(tool, options));
  const keep = <T>(list: T[]): T[] => list.filter((_item, index) => offered[index]);
  return {
    openai: keep(all.openai),
    anthropic: keep(all.anthropic),
    langchain: keep(all.langchain),
    catalog: keep(all.catalog),
  };
}

/** A file's text: two-space JSON and a final newline, the same bytes every time. */
export function toolFileText(tools: ConvertedTools, format: ToolFormat): string {
  return `${JSON.stringify(tools[format], null, 2)}\n`;
}
