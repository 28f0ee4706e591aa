/**
 * How a batch's event ids compare with what the stream holds where the batch
 * would go: `all` is a retry that already landed, `none` a genuine conflict,
 * `some` ids reused by a different append.
 */
export type AppendedEventsMatch = 'all' | 'none' | 'some';

/**
 * EventStoreDB remembers recent event ids only best effort, so an identical
 * retry can come back as a version conflict (or, with `any`, be written
 * twice). Reading the stream at the expected place and comparing ids settles it.
 */
export function matchAppendedEvents(
  eventIds: readonly string[],
  stored: readonly { id: string }[],
): AppendedEventsMatch {
  const wanted = eventIds.map((id) => id.toLowerCase());
  const found = stored.map((event) => event.id.toLowerCase());

  if (found.length === wanted.length && wanted.every((id, index) => found[index] === id)) {
    return 'all';
  }

  const wantedSet = new Set(wanted);
  return found.some((id) => wantedSet.has(id)) ? 'some' : 'none';
}
