// The EC portal of the old model (plain accessible HTML: lang="it", labels, no JavaScript, no
// external resources): the payable positions with a "Paga" form (1..5 → nodoInviaCarrelloRPT → 303
// to the WISP URL the Nodo answered, I01), and the RETURN page WISP sends the payer back to with
// idDominio, idSession, esito ∈ {OK, ERROR, DIFFERITO} (I02, L1476-1479, L1507).
import { formatAmount } from '../../../domain/common.js';
import type { OutgoingSoap } from '../../../src/wire/http.js';
import { escapeXml } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';
import { type Attempt, apaState } from './archive.js';
import type { CartResult, OldPayments } from './payments.js';
import type { OldStation } from './station.js';

export const PORTAL_PATH = '/old/portale';
export const PAY_PATH = '/old/paga';
export const RETURN_PATH = '/old/ritorno';
export const STATUS_PATH = '/old/stato';
export const RT_COPY_PATH = '/old/rt';

type Page = { status: number; type: string; body: string; headers?: Record<string, string> };

const esc = (s: string) => escapeXml(s).replace(/"/g, '&quot;');

export function page(status: number, title: string, main: string): Page {
  return {
    status, type: 'text/html; charset=UTF-8',
    body: `<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${main}</main></body></html>`,
  };
}

const euro = (p: EcPosition) => `${formatAmount(p.amount).replace('.', ',')} €`;

/** The portal's list of payable positions and its "Paga" form. */
export function portalPage(st: OldStation): Page {
  const ps = st.apa.payable();
  if (!ps.length) return page(200, 'Posizioni da pagare', '<p>Non ci sono posizioni da pagare.</p>');
  const rows = ps.map((p, i) => `<li><input type="checkbox" id="pos${i}" name="posizione" value="${esc(`${p.fiscalCode}/${p.iuv}`)}"><label for="pos${i}">${esc(p.description)}: ${esc(euro(p))} (IUV ${esc(p.iuv)}, ${esc(p.companyName)})</label></li>`);
  return page(200, 'Posizioni da pagare', `<form method="post" action="${PAY_PATH}"><fieldset><legend>Scegliere da 1 a 5 posizioni</legend><ul>${rows.join('')}</ul></fieldset><button type="submit">Paga</button></form>`);
}

/** POST of the "Paga" form: a cart for the chosen positions, then the payer goes to WISP. */
export async function payForm(st: OldStation, payments: OldPayments, raw: string): Promise<OutgoingSoap> {
  const chosen = new URLSearchParams(raw).getAll('posizione');
  if (chosen.length < 1 || chosen.length > 5) return page(400, 'Richiesta non valida', `<p>Scegliere da 1 a 5 posizioni da pagare (scelte: ${chosen.length}).</p><p><a href="${PORTAL_PATH}">Torna alle posizioni</a></p>`);
  const positions: EcPosition[] = [];
  for (const c of chosen) {
    const [fc = '', iuv = ''] = c.split('/', 2);
    const p = st.apa.position(fc, iuv);
    if (!p || p.state !== 'payable') return page(400, 'Richiesta non valida', `<p>La posizione ${esc(c)} ${p ? `non è pagabile (stato: ${esc(apaState(p.state))})` : 'non esiste'}.</p><p><a href="${PORTAL_PATH}">Torna alle posizioni</a></p>`);
    positions.push(p);
  }
  let r: CartResult;
  try {
    r = await payments.cart(positions);
  } catch (e) {
    return page(503, 'Pagamento non avviato', `<p>Il pagamento non può essere avviato: ${esc((e as Error).message)}.</p>`);
  }
  if (r.url && r.esito === 'OK') return { status: 303, type: 'text/html; charset=UTF-8', headers: { location: r.url }, body: page(303, 'Reindirizzamento', `<p><a href="${esc(r.url)}">Prosegui verso pagoPA</a></p>`).body };
  return page(502, 'Pagamento non avviato', `<p>Il Nodo dei Pagamenti ha rifiutato il carrello ${esc(r.idCarrello)}: ${esc(r.problem ?? 'errore sconosciuto')}.</p><p><a href="${PORTAL_PATH}">Torna alle posizioni</a></p>`);
}

const OUTCOME: Record<string, string> = { OK: 'Pagamento eseguito', ERROR: 'Pagamento non eseguito', DIFFERITO: 'Pagamento in corso di verifica' };

/** The return page (the station's returnUrl): the outcome in words and the positions concerned. */
export function returnPage(st: OldStation, query: string): Page {
  const q = new URLSearchParams(query);
  const missing = ['idDominio', 'idSession', 'esito'].filter((k) => !q.get(k));
  if (missing.length) return page(400, 'Richiesta non valida', `<p>Parametri mancanti: ${esc(missing.join(', '))}.</p>`);
  const esito = q.get('esito')!;
  const idSession = q.get('idSession')!;
  const idDominio = q.get('idDominio')!;
  if (!(esito in OUTCOME)) return page(400, 'Richiesta non valida', `<p>Il parametro esito vale ${esc(esito)}: sono previsti OK, ERROR, DIFFERITO.</p>`);
  const cart = st.apa.cartOfSession(idSession);
  if (!cart) return page(400, 'Richiesta non valida', `<p>La sessione ${esc(idSession)} non è nota a questo portale.</p>`);
  if (!cart.keys.some((k) => k.idDominio === idDominio)) return page(400, 'Richiesta non valida', `<p>Il dominio ${esc(idDominio)} non corrisponde alla sessione ${esc(idSession)}.</p>`);
  if (esito === 'DIFFERITO' && st.has('old-return-crash-differito')) {
    return { status: 500, type: 'text/html', body: '<html><body><h2>HTTP ERROR 500</h2><pre>java.lang.IllegalArgumentException: No enum constant Esito.DIFFERITO\n\tat it.ente.portale.RitornoServlet.doGet(RitornoServlet.java:57)</pre></body></html>' };
  }
  cart.returns.push(esito);
  if (esito === 'DIFFERITO' && st.has('old-differito-as-failed')) for (const k of cart.keys) closeAsNotPaid(st, k);
  const said = esito === 'ERROR' && st.has('old-return-error-as-success') ? OUTCOME.OK! : OUTCOME[esito]!;
  const items = cart.keys.map((k) => {
    const p = st.apa.position(k.idDominio, k.iuv);
    const status = `${STATUS_PATH}?idDominio=${encodeURIComponent(k.idDominio)}&amp;iuv=${encodeURIComponent(k.iuv)}`;
    return `<li>${esc(p?.description ?? `IUV ${k.iuv}`)}: ${p ? esc(euro(p)) : ''} (IUV ${esc(k.iuv)}, stato: ${esc(p ? apaState(p.state) : 'sconosciuto')}) <a href="${status}">Dettagli e ricevuta</a></li>`;
  });
  const note = esito === 'DIFFERITO' ? '<p>L\'esito sarà confermato dalla ricevuta telematica.</p>' : '';
  return page(200, said, `<p>${esc(said)}.</p>${note}<h2>Posizioni</h2><ul>${items.join('')}</ul><p><a href="${PORTAL_PATH}">Torna alle posizioni</a></p>`);
}

/** The defect's reading of DIFFERITO: the attempt is over, not paid, and its position payable again. */
function closeAsNotPaid(st: OldStation, k: { idDominio: string; iuv: string; ccp: string }): void {
  const a = st.apa.attempt(k.idDominio, k.iuv, k.ccp);
  if (!a || a.rt) return;
  a.state = 'not-paid';
  const p = st.apa.position(k.idDominio, k.iuv);
  if (p?.state === 'in-progress') st.ec.archive.setState(p, 'payable', 'esito DIFFERITO read as a failed payment', st.nowIso());
}

/** The state of a position and of its payment attempts, with a link to each RT copy (L365, OLD-EC-PAY-09). */
export function statusPage(st: OldStation, query: string): Page {
  const q = new URLSearchParams(query);
  const missing = ['idDominio', 'iuv'].filter((k) => !q.get(k));
  if (missing.length) return page(400, 'Richiesta non valida', `<p>Parametri mancanti: ${esc(missing.join(', '))}.</p>`);
  const idDominio = q.get('idDominio')!;
  const iuv = q.get('iuv')!;
  const p = st.apa.position(idDominio, iuv);
  if (!p) return page(404, 'Posizione sconosciuta', `<p>Nessuna posizione con IUV ${esc(iuv)} per l'ente ${esc(idDominio)}.</p>`);
  const rows = st.apa.attemptsOf(idDominio, iuv).map((a) => {
    const rt = a.rt ? ` <a href="${RT_COPY_PATH}?idDominio=${encodeURIComponent(idDominio)}&amp;iuv=${encodeURIComponent(iuv)}&amp;ccp=${encodeURIComponent(a.ccp)}">Copia della ricevuta telematica</a>` : '';
    return `<li>CCP ${esc(a.ccp)}: ${esc(ATTEMPT[a.state])}${rt}</li>`;
  });
  return page(200, `Posizione ${p.iuv}`, `<p>${esc(p.description)}: ${esc(euro(p))}, ente ${esc(p.companyName)}.</p><p>Stato: ${esc(apaState(p.state))}.</p>${rows.length ? `<h2>Tentativi di pagamento</h2><ul>${rows.join('')}</ul>` : '<p>Nessun tentativo di pagamento.</p>'}`);
}

const ATTEMPT: Record<Attempt['state'], string> = {
  activated: 'pagamento attivato, RPT in preparazione',
  'rpt-sent': 'RPT inviata, in attesa della ricevuta',
  'rpt-refused': 'RPT rifiutata dal Nodo dei Pagamenti',
  paid: 'pagamento eseguito',
  'not-paid': 'pagamento non eseguito',
  revoked: 'pagamento revocato o stornato',
};

/** A copy of an RT the EC holds (the XML as received). */
export function rtCopy(st: OldStation, query: string): Page {
  const q = new URLSearchParams(query);
  const a = st.apa.attempt(q.get('idDominio') ?? '', q.get('iuv') ?? '', q.get('ccp') ?? '');
  if (!a?.rt) return page(404, 'Ricevuta non disponibile', `<p>Nessuna ricevuta telematica per IUV ${esc(q.get('iuv') ?? '')} e CCP ${esc(q.get('ccp') ?? '')}.</p>`);
  return { status: 200, type: 'application/xml; charset=UTF-8', body: a.rt.xml, headers: { 'content-disposition': `attachment; filename="RT-${a.iuv}-${a.ccp}.xml"` } };
}
