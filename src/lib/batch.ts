/**
 * Coalesces lookups made in the same turn of the event loop into one fetch. Under load,
 * many requests for single objects arrive together; one query (one round trip) then serves
 * all of them instead of one each. Each caller still gets exactly its own answer, and a
 * failed fetch fails every caller of that batch.
 */
export class Batcher<K, V> {
  private pending = new Map<string, { key: K; waiters: Array<{ resolve: (v: V | undefined) => void; reject: (e: unknown) => void }> }>();
  private scheduled = false;

  constructor(
    /** Fetches many keys at once; answers with a map from keyOf(key) to value (absent: not found). */
    private readonly fetchMany: (keys: K[]) => Promise<Map<string, V>>,
    private readonly keyOf: (key: K) => string,
    private readonly maxBatch = 100,
  ) {}

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.keyOf(key);
      const entry = this.pending.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.pending.set(id, { key, waiters: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: every request parsed in it joins the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const entries = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < entries.length; i += this.maxBatch) {
      const chunk = entries.slice(i, i + this.maxBatch);
      this.fetchMany(chunk.map((e) => e.key)).then(
        (found) => {
          for (const entry of chunk) {
            const value = found.get(this.keyOf(entry.key));
            for (const waiter of entry.waiters) waiter.resolve(value);
          }
        },
        (error: unknown) => {
          for (const entry of chunk) for (const waiter of entry.waiters) waiter.reject(error);
        },
      );
    }
  }
}
