// NodoPerPa queries: nodoChiediStatoRPT (state and history, §2.2; A-13: the Nodo's states, each
// described with the catalogue's), nodoChiediCopiaRT, nodoChiediListaPendentiRPT, and the catalogue
// documents nodoChiediInformativaPSP / nodoPAChiediInformativaPA (base64 XML). OLD-REC-EC-01..08.
import type { EcEntry } from '../../../domain/registry.js';
import { escapeXml } from '../../../src/wire/xml.js';
import type { Operation } from '../../../src/wire/contract.js';
import { type El, type NodeObj, textOf } from '../../../src/wire/xml.js';
import { type OldCtx, koOf } from './context.js';
import { toBase64 } from './docs.js';
import { oldFault } from './faults.js';
import { PHASE } from './store.js';

const keysOf = (b: El) => ({ idDominio: textOf(b, 'identificativoDominio') ?? '', iuv: textOf(b, 'identificativoUnivocoVersamento') ?? '', ccp: textOf(b, 'codiceContestoPagamento') ?? '' });

export function chiediStatoRPT(c: OldCtx, op: Operation, body: El): NodeObj {
  const k = keysOf(body);
  const rec = c.store.find(k.idDominio, k.iuv, k.ccp);
  if (!rec) return koOf(op, oldFault('PPT_RPT_SCONOSCIUTA', `no RPT ${k.idDominio}/${k.iuv}/${k.ccp}`));
  const last = rec.history.at(-1)!;
  // one entry per datiSingoloVersamento once the PSP holds the RPT (L2196-2202: versamentiLista)
  const atPsp = rec.history.find((h) => h.stato === 'RPT_ACCETTATA_PSP' || h.stato === 'RT_ACCETTATA_NODO');
  const versamenti = atPsp ? rec.rpt.singoli.map((_, i) => ({ progressivo: i + 1, data: last.data, stato: rec.stato, descrizione: PHASE[rec.stato] })) : [];
  return {
    esito: {
      stato: rec.stato,
      redirect: rec.redirect,
      url: rec.url,
      elementoStoricoRPT: rec.history.map((h) => ({ data: h.data, stato: h.stato, descrizione: h.descrizione })),
      elementoStoricoVersamento: versamenti.length ? versamenti : undefined,
    },
  };
}

export function chiediCopiaRT(c: OldCtx, op: Operation, body: El): NodeObj {
  const k = keysOf(body);
  const rec = c.store.find(k.idDominio, k.iuv, k.ccp);
  if (!rec) return koOf(op, oldFault('PPT_RT_SCONOSCIUTA', `no RPT/RT ${k.idDominio}/${k.iuv}/${k.ccp}`));
  if (!rec.rt) return koOf(op, oldFault('PPT_RT_NONDISPONIBILE', `the RT of ${k.idDominio}/${k.iuv}/${k.ccp} is not available yet (state ${rec.stato})`));
  return { tipoFirma: '0', rt: toBase64(rec.rt.xml) };
}

/** RPTs sent on and still waiting for their RT to reach the EC (L2155-2171). */
export function chiediListaPendentiRPT(c: OldCtx, op: Operation, body: El): NodeObj {
  const idStation = textOf(body, 'identificativoStazioneIntermediarioPA');
  const idDominio = textOf(body, 'identificativoDominio');
  const from = textOf(body, 'rangeDa');
  const to = textOf(body, 'rangeA');
  const size = Number(textOf(body, 'dimensioneLista') ?? '0');
  const fromMs = from ? Date.parse(from) : -Infinity;
  const toMs = to ? Date.parse(to) : Infinity;
  if (from && to && fromMs > toMs) return koOf(op, oldFault('PPT_SEMANTICA', `rangeDa ${from} is after rangeA ${to}`));
  const pending = c.store
    .all()
    .filter((r) => r.idStation === idStation && (idDominio === undefined || r.idDominio === idDominio))
    .filter((r) => (PHASE[r.stato] === 'RPT Inviata' || PHASE[r.stato] === 'RT PSP') && r.createdAt >= fromMs && r.createdAt <= toMs)
    .slice(0, size);
  return { listaRPTPendenti: { totRestituiti: pending.length, rptPendente: pending.map((r) => ({ identificativoDominio: r.idDominio, identificativoUnivocoVersamento: r.iuv, codiceContestoPagamento: r.ccp, stato: r.stato })) } };
}

/**
 * The PSPs' Catalogo Dati Informativi (P06, OLD-REC-EC-07), one informativaPSP per registered PSP
 * (or the one asked for), with its channels and their storno and stamp flags (L1175-1176): our rendering of the catalogue's
 * key facts, base64 as the primitive carries it.
 */
export function chiediInformativaPSP(c: OldCtx, op: Operation, body: El): NodeObj {
  const only = textOf(body, 'identificativoPSP');
  const psps = c.reg.psps.filter((p) => only === undefined || p.idPSP === only);
  if (only !== undefined && !psps.length) return koOf(op, oldFault('PPT_PSP_SCONOSCIUTO', `identificativoPSP ${only} is not registered`));
  const x = escapeXml;
  const items = psps.map((p) => {
    const channels = c.reg.channels.filter((ch) => ch.psps.includes(p.idPSP) && ch.enabled);
    return `<informativaPSP><identificativoPSP>${x(p.idPSP)}</identificativoPSP><ragioneSociale>${x(p.companyName)}</ragioneSociale><codiceFiscale>${x(p.fiscalCode)}</codiceFiscale>` +
      `<stornoPagamento>${channels.some((ch) => ch.storno) ? 1 : 0}</stornoPagamento><marcaBolloDigitale>${channels.some((ch) => ch.marcaBolloDigitale) ? 1 : 0}</marcaBolloDigitale><listaCanali>${channels.map((ch) => `<canale><identificativoCanale>${x(ch.idChannel)}</identificativoCanale><identificativoIntermediario>${x(ch.idBrokerPSP)}</identificativoIntermediario><descrizione>${x(ch.description)}</descrizione><modelloPagamento>${ch.modelloPagamento ?? 1}</modelloPagamento></canale>`).join('')}</listaCanali></informativaPSP>`;
  });
  const xml = `<?xml version="1.0" encoding="UTF-8"?><listaInformativaPSP>${items.join('')}</listaInformativaPSP>`;
  return { xmlInformativa: toBase64(xml) };
}

/** The EC's own Tabella delle Controparti as the Nodo holds it (P07): domain, name, stations, accounts. */
export function paChiediInformativaPA(c: OldCtx, op: Operation, body: El): NodeObj {
  const d = textOf(body, 'identificativoDominio') ?? '';
  const ec = c.reg.ecs.find((e) => e.fiscalCode === d);
  if (!ec) return koOf(op, oldFault('PPT_DOMINIO_SCONOSCIUTO', `identificativoDominio ${d} is not registered`));
  return { xmlInformativa: informativaPA([ec]) };
}

/** The Tabelle delle Controparti of these ECs (P07 for one EC, P19 for the PSPs), base64. */
export function informativaPA(ecs: readonly EcEntry[]): string {
  const x = escapeXml;
  const items = ecs.map((ec) => `<informativaControparte><identificativoDominio>${x(ec.fiscalCode)}</identificativoDominio><ragioneSociale>${x(ec.companyName)}</ragioneSociale>` +
    `<listaStazioni>${ec.stations.map((s) => `<identificativoStazioneIntermediarioPA>${x(s.idStation)}</identificativoStazioneIntermediarioPA>`).join('')}</listaStazioni>` +
    `<contiAccredito>${ec.ibans.map((i) => `<ibanAccredito>${x(i)}</ibanAccredito>`).join('')}</contiAccredito></informativaControparte>`);
  return toBase64(`<?xml version="1.0" encoding="UTF-8"?><listaInformativaControparte>${items.join('')}</listaInformativaControparte>`);
}
