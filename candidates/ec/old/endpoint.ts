// The old-model station's SOAP endpoints, /PaPerNodo (P27-P29), /PaPerNodoPagamentoPsp (P30-P31)
// and /PaPerNodoRichiestaAvvisi (P32), through the ONE pipeline (src/wire/soap-endpoint.ts serveSoap) with the EC's fault
// table: envelope syntax → PAA_SINTASSI_EXTRAXSD, a carried document (RT, RR, ER) against its schema
// → PAA_SINTASSI_XSD, the callee's self-check (is the request for this broker, station and one of
// its domains? OLD-X-AUTH-01) → PAA_ID_*/PAA_STAZIONE_INT_ERRATA, an exception → PAA_SYSTEM_ERROR.
import { paPerNodo, paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi } from '../../../interfaces/index.js';
import type { IncomingSoap, OutgoingSoap } from '../../../src/wire/http.js';
import { type Answer, type RequestMessage, serveSoap } from '../../../src/wire/soap-endpoint.js';
import { encodeSoapFault } from '../../../src/wire/soap.js';
import { type El, textOf } from '../../../src/wire/xml.js';
import type { OldStation } from './station.js';

export const PA_PER_NODO_PATH = '/PaPerNodo';
export const PA_PER_NODO_PAGAMENTO_PSP_PATH = '/PaPerNodoPagamentoPsp';
export const PA_PER_NODO_RICHIESTA_AVVISI_PATH = '/PaPerNodoRichiestaAvvisi';
export const OLD_PATHS = [PA_PER_NODO_PATH, PA_PER_NODO_PAGAMENTO_PSP_PATH, PA_PER_NODO_RICHIESTA_AVVISI_PATH];

/** The identities a request names: in intestazionePPT when the operation has it, else in the body. */
function named(m: Pick<RequestMessage, 'body' | 'header'>): { idDominio?: string; broker?: string; station?: string } {
  const from = m.header ?? m.body;
  return { idDominio: textOf(from, 'identificativoDominio'), broker: textOf(from, 'identificativoIntermediarioPA'), station: textOf(from, 'identificativoStazioneIntermediarioPA') };
}

export function serveOldStation(st: OldStation, req: IncomingSoap, handle: (m: RequestMessage) => Promise<Answer> | Answer): Promise<OutgoingSoap> {
  const path = req.path.split('?', 1)[0]!.replace(/\/+$/, '');
  const pack = path.endsWith(PA_PER_NODO_PAGAMENTO_PSP_PATH) ? paPerNodoPagamentoPsp : path.endsWith(PA_PER_NODO_RICHIESTA_AVVISI_PATH) ? paPerNodoRichiestaAvvisi : paPerNodo;
  return serveSoap(
    {
      interfaces: [pack],
      name: `the old-model station ${st.idStation}`,
      // a carried document (RT, RR, ER) against its own schema is an XSD error; the envelope's, an extra-XSD one (L2796-2800)
      codes: { syntax: 'PAA_SINTASSI_EXTRAXSD', document: 'PAA_SINTASSI_XSD', internal: 'PAA_SYSTEM_ERROR' },
      fault: (op, r, body) => st.koAnswer(op, body ? (named({ body, header: headerIn(req, op.header) }).idDominio) : undefined, { code: r.code, description: r.description ?? '' }),
      soapAction: 'tolerate-missing',
      refuse: (u) => ({
        status: 500,
        body: encodeSoapFault(
          'soapenv:Client',
          u.kind === 'not-soap' ? `the request is not a SOAP 1.1 envelope (${u.rule}): ${u.message}` : u.kind === 'soap-fault' ? `the SOAP Body holds a Fault, not a ${pack.name} request` : `${u.element} is not a request of ${pack.name}`,
        ),
      }),
      skip: { caller: st.has('old-no-self-check') },
      check: (m) => {
        const n = named(m);
        if (n.broker !== undefined && n.broker !== st.idBrokerPA) return { code: 'PAA_ID_INTERMEDIARIO_ERRATO', description: `identificativoIntermediarioPA ${n.broker} is not the broker of this station (${st.idBrokerPA})` };
        if (n.station !== undefined && n.station !== st.idStation) return { code: 'PAA_STAZIONE_INT_ERRATA', description: `identificativoStazioneIntermediarioPA ${n.station} is not this station (${st.idStation})` };
        if (n.idDominio !== undefined && !st.served(n.idDominio)) return { code: 'PAA_ID_DOMINIO_ERRATO', description: `identificativoDominio ${n.idDominio} is not served by station ${st.idStation}` };
        return undefined;
      },
      handle,
    },
    req,
  );
}

/** The request's header element of that name, if any (for the faultBean id of a refused request). */
function headerIn(req: IncomingSoap, name: string | undefined): El | undefined {
  if (!name || !req.decoded.ok) return undefined;
  return req.decoded.msg.header.find((h) => h.name === name);
}
