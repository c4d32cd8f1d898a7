// The identifiers of a reporting flow: identificativoFlusso / fdr (NM-V-12, NM-FDR-VAL-01, TR-33,
// ambiguity NM-A-23), the SCT remittance that names it (TR-35, [SACI-RIC]) and
// identificativoUnivocoRegolamento (TR-34). Pure functions: the same rules for the SOAP document, the
// FdR 3 REST name and the judge.

/** The schema's pattern (FlussoRiversamento stIdentificativoFlusso; fdr_psp.json CreateFlowRequest.fdr). */
export const FLOW_ID_PATTERN = /^[a-zA-Z0-9\-_]{1,35}$/;
export const FLOW_ID_MAX = 35;

export type FlowIdRule = 'pattern' | 'date' | 'psp' | 'unique-part';

/** One rule an identificativoFlusso breaks. */
export interface FlowIdProblem {
  rule: FlowIdRule;
  message: string;
  /** the message in Italian (the certificate's Italian view) */
  messageIt: string;
  /**
   * MUST for the pattern (XSD and OpenAPI). The layout `<YYYY-MM-DD><idPSP>-<unique>` is a reading
   * (NM-A-23): SHOULD (WARNING) on the SOAP document, while the FdR 3 server refuses a wrong date or
   * PSP part (FDR-3008/3009) — the caller picks the level it judges at.
   */
  level: 'MUST' | 'SHOULD';
  ids: readonly string[];
  /** the FdR 3 REST fault (appErrorCode) the Nodo answers for this rule */
  restFault: 'FDR-1000' | 'FDR-3008' | 'FDR-3009';
}

const LAYOUT_IDS = ['NM-FDR-VAL-01', 'NM-V-12', 'NM-A-23', 'NM-FDR-ERR-14'] as const;

/** YYYY-MM-DD that names a real calendar day (no time zone). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** The parts of an identifier laid out as `<YYYY-MM-DD><idPSP>-<unique>`; undefined when the PSP part is not `idPSP`. */
export function flowIdParts(flowId: string, idPSP: string): { date: string; idPSP: string; unique: string } | undefined {
  const date = flowId.slice(0, 10);
  if (!isCalendarDate(date) || !flowId.startsWith(idPSP, 10) || flowId[10 + idPSP.length] !== '-') return undefined;
  const unique = flowId.slice(11 + idPSP.length);
  return unique ? { date, idPSP, unique } : undefined;
}

/**
 * The PSP part of an identifier when its sender is not known (an EC reading a downloaded flow): what
 * follows the date up to the first '-'. A guess: an idPSP holding '-' is cut short.
 */
export function pspPartOf(flowId: string): string | undefined {
  if (!isCalendarDate(flowId.slice(0, 10))) return undefined;
  const dash = flowId.indexOf('-', 10);
  return dash > 10 ? flowId.slice(10, dash) : undefined;
}

/**
 * Every rule `flowId` breaks for the PSP `idPSP`: the pattern (1..35 of [a-zA-Z0-9-_]), then the
 * layout: a date part YYYY-MM-DD that is a real day (FDR-3008), the sender's idPSP right after it
 * (FDR-3009), then '-' and a non-empty unique part. Empty when conformant.
 */
export function flowIdProblems(flowId: string, idPSP: string): FlowIdProblem[] {
  const out: FlowIdProblem[] = [];
  if (!FLOW_ID_PATTERN.test(flowId)) {
    out.push({ rule: 'pattern', level: 'MUST', ids: ['NM-V-12', 'NM-FDR-VAL-01', 'TR-33'], restFault: 'FDR-1000', message: `identificativoFlusso ${JSON.stringify(flowId)} must match [a-zA-Z0-9\\-_]{1,35}`, messageIt: `identificativoFlusso ${JSON.stringify(flowId)} deve rispettare [a-zA-Z0-9\\-_]{1,35}` });
  }
  const date = flowId.slice(0, 10);
  if (!isCalendarDate(date)) {
    out.push({ rule: 'date', level: 'SHOULD', ids: LAYOUT_IDS, restFault: 'FDR-3008', message: `identificativoFlusso ${JSON.stringify(flowId)} must start with its date YYYY-MM-DD (found ${JSON.stringify(date)})`, messageIt: `identificativoFlusso ${JSON.stringify(flowId)} deve iniziare con la sua data YYYY-MM-DD (trovato ${JSON.stringify(date)})` });
    return out;
  }
  if (!flowId.startsWith(idPSP, 10)) {
    out.push({ rule: 'psp', level: 'SHOULD', ids: LAYOUT_IDS, restFault: 'FDR-3009', message: `identificativoFlusso ${JSON.stringify(flowId)} must carry the sender's idPSP ${JSON.stringify(idPSP)} right after the date`, messageIt: `identificativoFlusso ${JSON.stringify(flowId)} deve riportare l’idPSP del mittente ${JSON.stringify(idPSP)} subito dopo la data` });
    return out;
  }
  const rest = flowId.slice(10 + idPSP.length);
  if (rest.length < 2 || rest[0] !== '-') {
    out.push({ rule: 'unique-part', level: 'SHOULD', ids: LAYOUT_IDS, restFault: 'FDR-3009', message: `identificativoFlusso ${JSON.stringify(flowId)} must end with '-' and a unique part after the idPSP (found ${JSON.stringify(rest)})`, messageIt: `identificativoFlusso ${JSON.stringify(flowId)} deve terminare, dopo l’idPSP, con '-' e una parte univoca (trovato ${JSON.stringify(rest)})` });
  }
  return out;
}

/**
 * A conformant identifier `<day><idPSP>-<unique>`. `unique` distinguishes the PSP's flows of that day
 * (a counter, a run tag and a counter …); throws when the result would break the pattern or 35 chars.
 */
export function newFlowId(idPSP: string, day: string, unique: string | number): string {
  const id = `${day}${idPSP}-${unique}`;
  if (!isCalendarDate(day)) throw new RangeError(`day ${JSON.stringify(day)} is not YYYY-MM-DD`);
  if (!FLOW_ID_PATTERN.test(id)) throw new RangeError(`identificativoFlusso ${JSON.stringify(id)} would break [a-zA-Z0-9\\-_]{1,35} (idPSP of ${idPSP.length} chars leaves ${FLOW_ID_MAX - 11 - idPSP.length} for the unique part)`);
  return id;
}

/**
 * Unique identifiers for one PSP: `next(day)` gives `<day><idPSP>-<tag><n>` with n counting from 1
 * per day. `tag` (e.g. a run's short id) keeps two runs against the same platform apart.
 */
export class FlowIdSequence {
  private readonly counters = new Map<string, number>();
  constructor(
    readonly idPSP: string,
    readonly tag = '',
  ) {
    if (!/^[a-zA-Z0-9\-_]*$/.test(tag)) throw new RangeError(`tag ${JSON.stringify(tag)} must match [a-zA-Z0-9\\-_]*`);
  }
  next(day: string): string {
    const n = (this.counters.get(day) ?? 0) + 1;
    this.counters.set(day, n);
    return newFlowId(this.idPSP, day, `${this.tag}${n}`);
  }
}

// ---------- the SCT that settles the flow (TR-35, [SACI-RIC]) ----------

const RIVERSAMENTO = '/PUR/LGPE-RIVERSAMENTO/URI/';
const INTEGRAZIONE = '/PUR/LGPE-INTEGRAZIONE/URI/';

/** The remittance (AT-05) of the cumulative SCT that settles the flow: it names the same identifier (NM-FDR-VAL-01, OLD-FDR-01). */
export const sctRemittance = (flowId: string): string => `${RIVERSAMENTO}${flowId}`;
/** The remittance of a supplementary SCT for an under-settled flow (OLD-FDR-ERR-02). */
export const integrationRemittance = (flowId: string): string => `${INTEGRAZIONE}${flowId}`;

/** The flow a cumulative or integration SCT names, from its remittance; undefined when it names none. */
export function flowIdOfRemittance(remittance: string): { flowId: string; kind: 'riversamento' | 'integrazione' } | undefined {
  const t = remittance.trim();
  for (const [prefix, kind] of [[RIVERSAMENTO, 'riversamento'], [INTEGRAZIONE, 'integrazione']] as const) {
    if (t.startsWith(prefix)) {
      const flowId = t.slice(prefix.length);
      return FLOW_ID_PATTERN.test(flowId) ? { flowId, kind } : undefined;
    }
  }
  return undefined;
}

// ---------- identificativoUnivocoRegolamento (TR-34) ----------

/**
 * What the spec says of identificativoUnivocoRegolamento: the SCT's TRN (AT-43) or its EndToEndId
 * (AT-41), 1..35 characters (stText35). Neither form has a published layout, so only the length is
 * a rule; undefined when it holds.
 */
export function regulationIdProblem(regulationId: string): string | undefined {
  const n = [...regulationId].length;
  return n >= 1 && n <= 35 ? undefined : `identificativoUnivocoRegolamento must be 1..35 characters (the SCT's TRN or EndToEndId, TR-34), found ${n}`;
}
