// (c) Codec and XSD cost per message, on the real messages of one flow taken from the journal:
// decodeEnvelope with validation (parse + tree + XSD), without validation (parse + tree), and
// encodeEnvelope of the same content (the decoded body turned back into ordered content).
import type { Journal } from '../src/core/journal.js';
import { encodeEnvelope } from '../src/wire/soap.js';
import type { NodeObj } from '../src/wire/xml.js';
import { elToNode } from '../actors/nodo/tree.js';
import { Summary, summarize, timeSyncUs } from './stats.js';
import { decodeEnvelope } from '../interfaces/index.js';

export interface CodecRow {
  message: string;
  iface: string;
  bytes: number;
  decodeValidateUs: Summary;
  decodeNoValidateUs: Summary;
  /** decode with validation − decode without, p50 */
  xsdOnlyUsP50: number;
  encodeUs: Summary;
  /** the re-encoded envelope is still XSD-valid (round-trip sanity check) */
  roundTripValid: boolean;
}

export function runCodec(journal: Journal, warmup: number, iterations: number): CodecRow[] {
  const seen = new Set<string>();
  const rows: CodecRow[] = [];
  // warm every code path on every message first (JIT, schema caches), then measure each message
  const warm: (() => void)[] = [];
  for (const e of journal.entries) {
    const d = e.raw ? decodeEnvelope(e.raw) : undefined;
    if (!d?.ok || !d.msg.op || !d.msg.kind) continue;
    const { op, kind } = d.msg;
    const content = elToNode(d.msg.body) as NodeObj;
    warm.push(() => void decodeEnvelope(e.raw), () => void decodeEnvelope(e.raw, { validate: false }), () => void encodeEnvelope(op, kind, content));
  }
  for (let i = 0; i < warmup; i++) for (const f of warm) f();
  for (const e of journal.entries) {
    if (!e.raw) continue;
    const d = decodeEnvelope(e.raw);
    if (!d.ok || !d.msg.op || !d.msg.kind) continue;
    const { op, kind } = d.msg;
    const name = kind === 'request' ? op.request : op.response;
    if (seen.has(name)) continue;
    seen.add(name);
    if (!d.msg.xsd.valid) throw new Error(`codec: captured ${name} is not XSD-valid: ${d.msg.xsd.errors.join('; ')}`);
    const raw = e.raw;
    const content = elToNode(d.msg.body) as NodeObj;
    const encoded = encodeEnvelope(op, kind, content);
    const back = decodeEnvelope(encoded);
    const dv = summarize(timeSyncUs(() => void decodeEnvelope(raw), 50, iterations, 1));
    const dn = summarize(timeSyncUs(() => void decodeEnvelope(raw, { validate: false }), 50, iterations, 1));
    const en = summarize(timeSyncUs(() => void encodeEnvelope(op, kind, content), 50, iterations, 1));
    rows.push({
      message: name,
      iface: op.iface,
      bytes: Buffer.byteLength(raw),
      decodeValidateUs: dv,
      decodeNoValidateUs: dn,
      xsdOnlyUsP50: dv.p50 - dn.p50,
      encodeUs: en,
      roundTripValid: back.ok && back.msg.xsd.valid,
    });
  }
  if (rows.length === 0) throw new Error('codec: no messages captured');
  return rows;
}
