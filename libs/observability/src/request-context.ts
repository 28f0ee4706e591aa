import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that follow one request or message through every log line and event. */
export interface RequestContext {
  requestId: string;
  correlationId: string;
  causationId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const RequestContexts = {
  run<T>(context: RequestContext, work: () => T): T {
    return storage.run(context, work);
  },

  current(): RequestContext | undefined {
    return storage.getStore();
  },
};
