import { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetLookup = MetadataStorage['getTargetValidationMetadatas'];
type TargetMetadata = ReturnType<TargetLookup>;

const MEMOIZED = Symbol.for('observe.validation-metadata-memo');

/**
 * class-validator finds a class's rules by testing every decorated class of
 * the process for being its ancestor, on every validation and again for each
 * nested object (typestack/class-validator#2686); Nest's ValidationPipe asks
 * once more per body. The answer only changes when rules are registered, so
 * it is kept per class and options until the next registration.
 */
export function memoizeValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [MEMOIZED]?: true };
  if (patched[MEMOIZED]) return;
  patched[MEMOIZED] = true;

  let answers = new WeakMap<object, Map<string, TargetMetadata>>();
  const lookUp: TargetLookup = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000')}`;
    let byOptions = answers.get(target);
    if (!byOptions) {
      byOptions = new Map();
      answers.set(target, byOptions);
    }
    let answer = byOptions.get(options);
    if (!answer) {
      answer = lookUp(target, schema, always, strictGroups, groups);
      byOptions.set(options, answer);
    }
    return answer;
  };

  // A new rule (schemas register theirs through here too) may belong in a kept answer.
  const register = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    answers = new WeakMap();
    register(metadata);
  };
}
