import { AsyncLocalStorage } from 'node:async_hooks';

type ContextRecord = Readonly<Record<symbol, unknown>>;

/**
 * One AsyncLocalStorage for every context the platform keeps per call chain
 * (request ids, command metadata, the ambient transaction). Node gives each
 * storage its own hook work on every promise created, so slots share one.
 */
const storage = new AsyncLocalStorage<ContextRecord>();

/** A value that follows one async call chain, next to the other slots' values. */
export class ContextSlot<T> {
  private readonly key: symbol;

  constructor(name: string) {
    this.key = Symbol(name);
  }

  /** Runs `work` with this slot set to `value`; the other slots keep theirs. */
  run<R>(value: T, work: () => R): R {
    return storage.run({ ...storage.getStore(), [this.key]: value }, work);
  }

  /** Runs `work` with this slot unset; the other slots keep theirs. */
  exit<R>(work: () => R): R {
    const current = storage.getStore();
    if (!current || current[this.key] === undefined) return work();

    return storage.run({ ...current, [this.key]: undefined }, work);
  }

  get(): T | undefined {
    return storage.getStore()?.[this.key] as T | undefined;
  }
}
