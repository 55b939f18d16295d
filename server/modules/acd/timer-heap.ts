/** A timer of the ACD: an agent's state timer, a contact's next escalation or readiness, or the reconciler. */
export type AcdTimer = { at: number; kind: 'agent' | 'contact' | 'reconcile'; id: string };

/**
 * A binary min-heap of timers by time. Entries are never removed early: a popped timer is checked against the
 * current state (lazy deletion), which keeps every operation O(log n).
 */
export class TimerHeap {
  private readonly items: AcdTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  push(timer: AcdTimer): void {
    const a = this.items;
    a.push(timer);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.at <= a[i]!.at) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }

  peek(): AcdTimer | undefined {
    return this.items[0];
  }

  pop(): AcdTimer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.at < a[m]!.at) m = l;
        if (r < a.length && a[r]!.at < a[m]!.at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}
