// The output folder: every file goes through here, so the manifest sees exactly what was written.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface OutFile {
  /** relative path with '/' separators */
  rel: string;
  data: string | Buffer;
}

export class Output {
  /** relative path → sha256 hex, in write order */
  readonly written = new Map<string, string>();
  private readonly dirs = new Set<string>();
  constructor(readonly dir: string) {}

  abs(rel: string): string {
    return path.join(this.dir, ...rel.split('/'));
  }

  private async ensureDir(absDir: string): Promise<void> {
    if (this.dirs.has(absDir)) return;
    await mkdir(absDir, { recursive: true });
    this.dirs.add(absDir);
  }

  async write(rel: string, data: string | Buffer): Promise<void> {
    if (rel.startsWith('/') || rel.split('/').includes('..')) throw new Error(`refusing to write outside the output folder: ${rel}`);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const abs = this.abs(rel);
    await this.ensureDir(path.dirname(abs));
    await writeFile(abs, buf);
    this.written.set(rel, createHash('sha256').update(buf).digest('hex'));
  }

  /** Writes many files with bounded parallelism (thousands of evidence files stay fast). */
  async writeAll(files: OutFile[], parallel = 32): Promise<void> {
    // directories first, sequentially, so parallel writes never race on mkdir
    for (const f of files) await this.ensureDir(path.dirname(this.abs(f.rel)));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const f = files[next++]!;
        await this.write(f.rel, f.data);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, files.length) }, worker));
  }

  /** `sha256sum -c` format over everything written so far, sorted by path. */
  manifest(): string {
    return [...this.written.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([rel, hex]) => `${hex}  ${rel}\n`)
      .join('');
  }
}
