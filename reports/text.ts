// Escaping and small formatting helpers shared by the report writers.
import type { Level, Verdict } from '../src/core/model.js';

/** Characters that are not allowed in XML 1.0 (C0 controls except TAB/LF/CR, lone surrogates, U+FFFE/FFFF). */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters XML 1.0 cannot carry at all (a candidate may send any bytes). */
export function xmlSafe(s: string): string {
  return s.replace(XML_INVALID, '\uFFFD');
}

/** Escapes text for XML/HTML element content and attribute values (both quote kinds). */
export function esc(s: unknown): string {
  return xmlSafe(String(s ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escapes for an XML attribute: like esc() and keeps line breaks and tabs as character references. */
export function escAttr(s: unknown): string {
  return esc(s).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Text for CDATA-free element content in JUnit: escaped, line breaks kept. */
export const escText = esc;

/** JSON for an inline `<script type="application/json">`: no `</script>`, `<!--` or line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** `2026-11-23T14:05:12.345Z` → `2026-11-23 14:05:12 UTC` (the input is returned as is when unparsable). */
export function fmtTime(iso: string | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}

/** The area of a scenario id: `EC-PAY-01` → `PAY`; `EC-PAY-NEG-03` → `PAY`; `SMOKE` → `general`. */
export function scenarioArea(id: string): string {
  const parts = id.split('-').filter(Boolean);
  if (parts.length >= 3) return parts[1]!;
  if (parts.length === 2) return parts[0]!;
  return 'general';
}

/** Severity order used for "highest level". */
export const LEVEL_RANK: Record<Level, number> = { MUST: 3, SHOULD: 2, MAY: 1, 'MAY-if-offered': 1 };

/** Worst-first order of scenario verdicts for sorting findings. */
export const VERDICT_RANK: Record<Verdict, number> = { FAIL: 0, ERROR: 1, INCONCLUSIVE: 2, WARNING: 3, NOT_APPLICABLE: 4, PASS: 5 };
