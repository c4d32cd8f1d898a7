// Service data of two spontaneous services (paDemandPaymentNotice, NM-SPONT-*): the documents of the
// published catalogue schemas TassaAutomobilistica_1_1_0 and D847_Pesca_1_0_0, base64 as
// datiSpecificiServizioRequest carries them, and the plates with an agreed meaning in test data.

export const TASSA_AUTO_NS = 'http://PuntoAccessoPSP.spcoop.gov.it/TassaAuto';
export const PESCA_NS = 'http://PuntoAccessoPSP.spcoop.gov.it/praticaPagamentoCanoni';

/** A plate no vehicle is registered with: nothing to pay (PAA_PAGAMENTO_SCONOSCIUTO). */
export const UNKNOWN_PLATE = 'ZZ999ZZ';
/** A plate of a vehicle exempt from the car tax (PAA_SEMANTICA). */
export const EXEMPT_PLATE = 'EX000EX';

/** TassaAutomobilistica data: vehicle kind 1 = car, 2 = trailer, 4 = motorcycle. */
export function tassaAutoData(plate: string, kind: '1' | '2' | '4' = '1'): string {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><ta:tassaAuto xmlns:ta="${TASSA_AUTO_NS}">` +
    `<ta:veicoloConTarga><ta:tipoVeicoloTarga>${kind}</ta:tipoVeicoloTarga><ta:veicoloTarga>${plate}</ta:veicoloTarga></ta:veicoloConTarga></ta:tassaAuto>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** D847 fishing licence fee data, the payer being the licence holder. */
export function pescaData(holderCf: string, payerName = 'Mario Rossi'): string {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><p:praticaPagamentoCanoni xmlns:p="${PESCA_NS}"><p:codicePratica>D847</p:codicePratica>` +
    `<p:pagatore><p:codiceFiscalePagatore>${holderCf}</p:codiceFiscalePagatore><p:denominazionePagatore>${payerName}</p:denominazionePagatore></p:pagatore>` +
    `<p:intestatario><p:codiceFiscaleIntestatario>${holderCf}</p:codiceFiscaleIntestatario><p:denominazioneIntestatario>${payerName}</p:denominazioneIntestatario></p:intestatario>` +
    `</p:praticaPagamentoCanoni>`;
  return Buffer.from(xml, 'utf8').toString('base64');
}
