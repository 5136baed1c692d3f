/**
 * A binary min-heap of integer items by numeric key, ties broken by the smaller item, so the
 * order of pops never depends on the order of pushes (the scheduler must be deterministic).
 */
export class KeyedMinHeap {
  private readonly keys: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  private less(i: number, j: number): boolean {
    const ki = this.keys[i] as number;
    const kj = this.keys[j] as number;
    return ki < kj || (ki === kj && (this.items[i] as number) < (this.items[j] as number));
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i] as number;
    this.keys[i] = this.keys[j] as number;
    this.keys[j] = k;
    const it = this.items[i] as number;
    this.items[i] = this.items[j] as number;
    this.items[j] = it;
  }

  push(item: number, key: number): void {
    this.keys.push(key);
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The smallest key without removing it (undefined when empty). */
  peekKey(): number | undefined {
    return this.keys[0];
  }

  peekItem(): number | undefined {
    return this.items[0];
  }

  /** Removes the top; call peekItem/peekKey first to read it. */
  pop(): void {
    const last = this.items.length - 1;
    if (last < 0) return;
    this.swap(0, last);
    this.keys.pop();
    this.items.pop();
    let i = 0;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && this.less(l, smallest)) smallest = l;
      if (r < n && this.less(r, smallest)) smallest = r;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
