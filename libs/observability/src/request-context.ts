import { ContextSlot } from '@observe/core';

/** Ids that follow one request or message through every log line and event. */
export interface RequestContext {
  requestId: string;
  correlationId: string;
  causationId?: string;
}

const slot = new ContextSlot<RequestContext>('request');

export const RequestContexts = {
  run<T>(context: RequestContext, work: () => T): T {
    return slot.run(context, work);
  },

  current(): RequestContext | undefined {
    return slot.get();
  },
};
