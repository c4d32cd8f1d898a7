// The packed evidence: one gzip-compressed tar (POSIX ustar, pax headers for long names) written and
// read with Node's zlib only. Members keep the exploded folder's paths (`evidence/journal/…`), so
// `tar xzf evidence.tar.gz` gives back exactly the folder `--evidence exploded` writes, and every
// reference in certificate.json names a member. Deterministic: same files and mtime → same bytes.
import { gunzipSync, gzipSync } from 'node:zlib';

/** The archive's name in the output folder. */
export const EVIDENCE_ARCHIVE = 'evidence.tar.gz';

export interface ArchiveFile {
  rel: string;
  data: string | Buffer;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, prefix: string, size: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtime, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\u000000', 257, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest ? [data, Buffer.alloc(BLOCK - rest)] : [data];
}

/** ustar splits a path into prefix (≤155 bytes) and name (≤100 bytes) at a '/'; undefined when it cannot. */
function splitPath(rel: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(rel) <= 100) return { prefix: '', name: rel };
  for (let i = rel.indexOf('/'); i >= 0; i = rel.indexOf('/', i + 1)) {
    const prefix = rel.slice(0, i);
    const name = rel.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return { prefix, name };
  }
  return undefined;
}

/** A pax record `<len> path=<rel>\n`, whose length counts its own digits. */
function paxRecord(rel: string): Buffer {
  const body = ` path=${rel}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, 'utf8');
}

/** The files as one .tar.gz, in the given order; `mtime` in seconds since the epoch for every member. */
export function tarGz(files: ArchiveFile[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  const when = Math.max(0, Math.floor(mtime));
  for (const f of files) {
    const data = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data;
    const split = splitPath(f.rel);
    if (split) parts.push(header(split.name, split.prefix, data.length, when, '0'));
    else {
      const pax = paxRecord(f.rel);
      parts.push(header('PaxHeader', '', pax.length, when, 'x'), ...padded(pax));
      parts.push(header(f.rel.slice(-100).replace(/^\/+/, ''), '', data.length, when, '0'));
    }
    parts.push(...padded(data));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function field(h: Buffer, from: number, len: number): string {
  const s = h.subarray(from, from + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? len : end).toString('utf8');
}

/** Every regular member of a .tar.gz, path → bytes. Throws on a truncated or corrupt archive. */
export function readTarGz(gz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gz);
  const out = new Map<string, Buffer>();
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= tar.length) {
    const h = tar.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) return out;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== parseInt(field(h, 148, 8).trim(), 8)) throw new Error(`corrupt archive: bad header checksum at byte ${at}`);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = field(h, 156, 1) || '0';
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const body = tar.subarray(at + BLOCK, at + BLOCK + size);
    if (body.length !== size) throw new Error(`corrupt archive: member ${name} truncated`);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      continue;
    }
    if (type === '0') out.set(longName ?? name, Buffer.from(body));
    longName = undefined;
  }
  throw new Error('corrupt archive: no end-of-archive marker');
}
