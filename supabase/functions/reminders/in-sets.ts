interface Pending<T> {
  item: T;
  generation: bigint;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: an item is written at once when nothing is being written; items that arrive
 * meanwhile go together in the next statement, one per dispatcher lease generation (the database
 * refuses a set whose run no longer holds the lease). Each caller's promise settles when its own
 * item is committed. At a few items a second every set holds one; at thousands, one statement
 * writes dozens.
 */
export function inSets<T>(write: (generation: bigint, items: T[]) => Promise<unknown>) {
  let queued: Pending<T>[] = [];
  let writing = false;

  const writeQueued = async () => {
    writing = true;
    while (queued.length > 0) {
      const generation = queued[0].generation;
      const set = queued.filter((pending) => pending.generation === generation);
      queued = queued.filter((pending) => pending.generation !== generation);
      try {
        await write(generation, set.map((pending) => pending.item));
        for (const pending of set) pending.resolve();
      } catch (error) {
        for (const pending of set) pending.reject(error);
      }
    }
    writing = false;
  };

  return (item: T, generation: bigint): Promise<void> =>
    new Promise((resolve, reject) => {
      queued.push({ item, generation, resolve, reject });
      if (!writing) void writeQueued();
    });
}
