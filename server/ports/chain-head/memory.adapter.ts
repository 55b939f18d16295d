import type { ChainHeadStore, KeptChainHead } from './chain-head.port';

/** The kept head in memory: tests, and processes with a throwaway database (simulator, benchmarks). */
export class MemoryChainHeadStore implements ChainHeadStore {
  readonly describe = 'memory';
  private head: KeptChainHead | null = null;
  /** How many times the head was written (tests check the throttle). */
  writes = 0;

  read(): Promise<KeptChainHead | null> {
    return Promise.resolve(this.head ? { ...this.head } : null);
  }

  write(head: KeptChainHead): Promise<void> {
    this.head = { ...head };
    this.writes += 1;
    return Promise.resolve();
  }
}
