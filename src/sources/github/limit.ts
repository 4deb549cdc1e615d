/**
 * Runs at most `n` calls of `fn` at once: GitHub asks integrators not to burst
 * concurrent requests (secondary rate limits). A finishing call hands its slot
 * straight to the next queued one, so the bound holds exactly.
 */
export function limit<A extends unknown[], R>(n: number, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (...args: A): Promise<R> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await fn(...args);
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
