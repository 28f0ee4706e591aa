import { ContextSlot } from './context-slot';

describe('context slots', () => {
  const request = new ContextSlot<string>('request');
  const transaction = new ContextSlot<number>('transaction');

  it('follows the async call chain, each slot keeping its own value', async () => {
    const seen = await request.run('r-1', () =>
      transaction.run(7, async () => {
        await Promise.resolve();
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [request.get(), transaction.get()];
      }),
    );

    expect(seen).toEqual(['r-1', 7]);
    expect([request.get(), transaction.get()]).toEqual([undefined, undefined]);
  });

  it('keeps concurrent chains apart', async () => {
    const chain = (id: string, delayMs: number) =>
      request.run(id, async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return request.get();
      });

    expect(await Promise.all([chain('slow', 20), chain('fast', 1)])).toEqual(['slow', 'fast']);
  });

  it('unsets one slot for a piece of work and leaves the others', async () => {
    const inside = await request.run('r-2', () =>
      transaction.run(3, () =>
        transaction.exit(async () => {
          await Promise.resolve();
          return [request.get(), transaction.get()];
        }),
      ),
    );

    expect(inside).toEqual(['r-2', undefined]);
  });
});
