// The reference PSP's answer to the trigger action `fdr-report` (src/triggers, #/definitions/fdrReport):
// the flow of one EC for one payment day, from its own collections, by the transport asked. The old
// model's collections are read from its archive at that moment: each positive RT's
// datiSingoloPagamento (the RT's IUR, indiceDatiSingoloPagamento = its position), code 3 for an RT
// revoked with a positive ER (its amount as the flow schema allows it: positive, the code gives the sign), and the collections whose RPT never came (code 9, OLD-PSP-ERR-08).
import type { TriggerReport, TriggerRequest, FdrReportParams } from '../../../src/triggers/index.js';
import type { OldReferencePsp } from '../old/index.js';
import type { Collection } from './flows.js';
import type { FdrReporter } from './reporter.js';

/** What the old side has collected, as flow lines. */
export function oldCollections(old: OldReferencePsp): Collection[] {
  const out: Collection[] = [];
  const seen = new Set<string>();
  for (let i = old.archive.rts.length - 1; i >= 0; i--) {
    const r = old.archive.rts[i]!;
    const key = `${r.idDominio}|${r.iuv}|${r.ccp}`;
    // the latest RT of a payment stands (a replacing RT after an annullo tecnico)
    if (seen.has(key) || !r.positive) continue;
    seen.add(key);
    const revoked = old.archive.revoca(r)?.er !== undefined && old.archive.revoca(r)?.esito === 'OK';
    r.rt.datiPagamento.datiSingoloPagamento?.forEach((d, k) => {
      if (d.singoloImportoPagato <= 0) return;
      out.push({ model: 'old', ecFiscalCode: r.idDominio, iuv: r.iuv, iur: d.identificativoUnivocoRiscossione, idTransfer: k + 1, amountCents: d.singoloImportoPagato, code: revoked ? '3' : '0', at: r.at });
    });
  }
  for (const w of old.payments.withoutRpt) {
    // no RT, no IUR from one: the PSP's own reference of the collection, its codiceContestoPagamento
    out.push({ model: 'old', ecFiscalCode: w.idDominio, iuv: w.iuv, iur: w.ccp, idTransfer: 1, amountCents: w.amount, code: '9', at: w.at });
  }
  return out.reverse();
}

export async function fdrReport(reporter: FdrReporter, old: OldReferencePsp, req: TriggerRequest): Promise<TriggerReport> {
  const p = req.params as unknown as FdrReportParams;
  const model = p.model ?? 'new';
  if (model === 'old') {
    reporter.book.sync('old', oldCollections(old));
    reporter.endpoints.nodoPerPsp = old.nodoLink?.nodoPerPspUrl;
  }
  const r = await reporter.report({ model, ecFiscalCode: req.fiscalCode, day: p.day, today: p.today, from: Date.parse(p.from), to: Date.parse(p.to), ...(p.revise ? { revise: p.revise } : {}) }, p.transport);
  return { requestId: req.requestId, result: r.ok ? 'paid' : r.lines === 0 ? 'not-paid' : 'failed', message: r.message };
}
