/**
 * Where the access-record chain's head is kept outside the database (layer 4, docs/OPERATIONS.md "Access records"):
 * whoever can write the database cannot rewrite this copy, so verification compares the database's newest record with
 * it and sees records cut from the end or a chain rewritten from some point on.
 */
export type KeptChainHead = {
  /** Position of the newest record (or of the newest prune anchor when every record was pruned). */
  seq: number;
  /** That record's chain hash (hex HMAC-SHA256). */
  hash: string;
  /** When this copy was written (ISO UTC, from the Clock). */
  at: string;
  /** The audit key that signed this copy. */
  keyId: string;
  /** HMAC-SHA256 (hex) of seq, hash and at under that key: a copy edited without the key is refused. */
  mac: string;
};

/** A store of the kept head: read what was written last, replace it whole. */
export interface ChainHeadStore {
  /** What is kept, or null when nothing was written yet (a new installation). */
  read(): Promise<KeptChainHead | null>;
  /** Replaces the kept head (atomically: a crash leaves the old copy or the new one). */
  write(head: KeptChainHead): Promise<void>;
  /** Where the copy is, for messages (a file path, or "memory"). */
  readonly describe: string;
}
