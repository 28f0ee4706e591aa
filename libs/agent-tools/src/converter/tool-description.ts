import { HttpMethod } from './tool-definition';

export interface DescriptionInput {
  operationId: string;
  method: HttpMethod;
  summary?: string;
  description?: string;
  scope: string | null;
  fullTokenOnly: boolean;
  destructive: boolean;
  /** `x-side-effect` from the document, e.g. "resolves the incident". */
  sideEffect?: string;
}

/**
 * What the tool does, the scope it needs and its side effect, so a model can
 * weigh a call before making it, e.g. "Acknowledge an incident. Requires
 * scope incidents:write. Side effect: acknowledges the incident."
 */
export function describeTool(input: DescriptionInput): string {
  const parts = [sentence(input.summary), sentence(input.description)].filter(
    (part): part is string => part !== undefined,
  );
  const unique = parts.filter((part, index) => parts.indexOf(part) === index);

  unique.push(input.scope === null ? 'Needs no scope.' : `Requires scope ${input.scope}.`);
  if (input.fullTokenOnly) unique.push('Only a full token may call it, never a scoped one.');
  unique.push(sideEffect(input));
  return unique.join(' ');
}

function sideEffect(input: DescriptionInput): string {
  if (input.method === 'GET') return 'Read-only: changes nothing.';

  const effect = input.sideEffect ?? effectFromOperationId(input.operationId);
  const permanence =
    input.method === 'DELETE' ? ' It cannot be undone.' : input.destructive ? ' Destructive.' : '';
  return `Side effect: ${effect.replace(/\.$/, '')}.${permanence}`;
}

/** `acknowledgeIncident` -> "acknowledges the incident". */
function effectFromOperationId(operationId: string): string {
  const words = operationId
    .replace(/Controller(?=_|$)/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+|\s+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
  const [verb, ...object] = words;
  if (verb === undefined) return 'changes state';
  return object.length === 0 ? thirdPerson(verb) : `${thirdPerson(verb)} the ${object.join(' ')}`;
}

function thirdPerson(verb: string): string {
  if (/(s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  return `${verb}s`;
}

function sentence(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed.length === 0) return undefined;
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
