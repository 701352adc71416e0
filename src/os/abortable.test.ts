import { describe, expect, it } from 'vitest';
import { raceAbort, sleep } from './abortable.ts';

describe('sleep', () => {
  it('resolves after the wait, and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof signal.removeEventListener;
    await sleep(1, { signal });
    expect({ added, removed }).toEqual({ added: 1, removed: 1 });
  });

  it('rejects with the reason when the signal aborts during the wait or had already', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(60_000, { signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe('raceAbort', () => {
  it('settles with the promise when the signal stays quiet', async () => {
    await expect(raceAbort(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    await expect(raceAbort(Promise.reject(new Error('bad')), new AbortController().signal)).rejects.toThrow(
      'bad',
    );
  });

  it('rejects when the signal aborts first, or had already, even if the promise never settles', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const racing = raceAbort(never, controller.signal);
    controller.abort(new Error('gone'));
    await expect(racing).rejects.toThrow('gone');
    await expect(raceAbort(Promise.resolve(1), controller.signal)).rejects.toThrow('gone');
  });
});
