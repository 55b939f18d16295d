import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ChainHeadStore, KeptChainHead } from './chain-head.port';

const KeptHeadSchema = z.object({
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  keyId: z.string().min(1).max(32),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The kept head file could not be read: the message names the file and what is wrong. */
export class ChainHeadFileError extends Error {}

/**
 * The kept head as a small JSON file (default DATA_DIR/access-chain-head.json), mode 0600, owned by the service user:
 * written beside the target, flushed and renamed over it. Put it where the database's writers cannot write (another
 * disk or host for PostgreSQL; for SQLite at least not inside a directory a database user can replace).
 */
export class FileChainHeadStore implements ChainHeadStore {
  constructor(private readonly file: string) {}

  get describe(): string {
    return path.resolve(this.file);
  }

  async read(): Promise<KeptChainHead | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ChainHeadFileError(`${this.file}: not valid JSON`);
    }
    const parsed = KeptHeadSchema.safeParse(raw);
    if (!parsed.success) throw new ChainHeadFileError(`${this.file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  async write(head: KeptChainHead): Promise<void> {
    await fs.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(head)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
  }
}
