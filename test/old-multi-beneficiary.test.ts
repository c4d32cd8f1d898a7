// Multi-beneficiary carts of the old model (OLD-EC-PAY-07): the cart id rule of NodoPerPa.wsdl, the
// reference Nodo's check of it (V-08), where the RT of another EC's RPT goes, the ledger keeping one
// receipt per RT when one debit gives them all the same IUR (L571), and the suite's readers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiBeneficiaryCartId, multiBeneficiaryCartIdProblem, multiBeneficiaryCartIdProblemSaid } from '../domain/old/index.js';
import { englishIn } from './support/english.js';
import type { OldCtx } from '../actors/nodo/old/context.js';
import { rtStationOf } from '../actors/nodo/old/context.js';
import { Ledger, type LedgerReceipt } from '../src/core/ledger.js';
import { creditProblems, creditProblemsSaid, type SentCart } from '../suites/ec/old/multi-beneficiary.js';
import { EC, STATION, type World, cart, keys, rpt, world } from './support/old-nodo.js';

const OTHER = '88888888888';

describe('identificativoCarrello of a multi-beneficiary cart (NodoPerPa.wsdl)', () => {
  const iuv = '01000000000000123';
  const cartRpts = [{ idDominio: EC, iuv }, { idDominio: OTHER, iuv: '01000000000000456' }];

  it('is idDominio(11) numeroAvviso(18) "-" Progressivo(5): 35 characters', () => {
    const id = multiBeneficiaryCartId(EC, `3${iuv}`, 7);
    expect(id).toBe(`${EC}3${iuv}-00007`);
    expect(id).toHaveLength(35);
    expect(multiBeneficiaryCartIdProblem(id, cartRpts)).toBeUndefined();
  });

  it('refuses the classic syntax, a domain not in the cart and a notice of no RPT of that domain', () => {
    expect(multiBeneficiaryCartIdProblem(`2026${EC}01${'1'.padStart(18, '0')}`, cartRpts)).toMatch(/not idDominio\(11\) numeroAvviso\(18\)/);
    expect(multiBeneficiaryCartIdProblem(`999999999993${iuv}-00001`, cartRpts)).toMatch(/not the domain of any RPT/);
    expect(multiBeneficiaryCartIdProblem(`${OTHER}3${iuv}-00001`, cartRpts)).toMatch(/not the notice of an RPT of 88888888888/);
  });

  it('says each refusal in Italian too, with the same ids', () => {
    for (const id of [`2026${EC}01${'1'.padStart(18, '0')}`, `999999999993${iuv}-00001`, `${OTHER}3${iuv}-00001`]) {
      const [en, it] = multiBeneficiaryCartIdProblemSaid(id, cartRpts)!;
      expect(en).toBe(multiBeneficiaryCartIdProblem(id, cartRpts));
      expect(englishIn(it), it).toEqual([]);
      expect(it.match(/\d{5,}/g)).toEqual(en.match(/\d{5,}/g));
    }
  });

  it('needs 11 and 18 digits to build one', () => {
    expect(() => multiBeneficiaryCartId('123', `3${iuv}`, 1)).toThrow(/11 digits/);
    expect(() => multiBeneficiaryCartId(EC, iuv, 1)).toThrow(/18 digits/);
  });
});

describe('the reference Nodo and a multi-beneficiary cart', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
    // a second EC the same intermediary's station serves
    w.reg.ecs.push({ fiscalCode: OTHER, companyName: 'Provincia di Collaudo', enabled: true, ibans: [], stations: [{ idStation: STATION, auxDigit: 3, code: '01' }] });
  });
  afterAll(() => w.close());

  const twoDomains = () => {
    const [k1, k2] = [keys(), keys()];
    const other = rpt(k2, (r) => {
      r.dominio.identificativoDominio = OTHER;
      r.enteBeneficiario.identificativoUnivocoBeneficiario.codiceIdentificativoUnivoco = OTHER;
    });
    return { k1, rpts: [rpt(k1), other] };
  };

  it('accepts RPTs of two domains with multiBeneficiario true and the prescribed id', async () => {
    const { k1, rpts } = twoDomains();
    const c = cart(multiBeneficiaryCartId(EC, `3${k1.iuv}`, 1), rpts);
    const a = await w.pa('nodoInviaCarrelloRPT', { ...c.content, multiBeneficiario: true }, c.header);
    expect(a.esito).toBe('OK');
    expect(w.nodo.rpt(OTHER, rpts[1]!.datiVersamento.identificativoUnivocoVersamento, rpts[1]!.datiVersamento.codiceContestoPagamento)?.stato).toBe('RPT_ACCETTATA_NODO');
  });

  it('refuses a multi-beneficiary cart with the classic id: PPT_ID_CARRELLO_DUPLICATO (V-08), every RPT refused', async () => {
    const { k1, rpts } = twoDomains();
    const c = cart(`2026${EC}01${k1.iuv.padStart(18, '0')}`, rpts);
    const a = await w.pa('nodoInviaCarrelloRPT', { ...c.content, multiBeneficiario: true }, c.header);
    expect(a.esito).toBe('KO');
    expect(a.fault?.faultCode).toBe('PPT_ID_CARRELLO_DUPLICATO');
    expect(a.fault?.description).toMatch(/V-08 .*multi-beneficiary/);
    expect(w.nodo.rpt(EC, k1.iuv, k1.ccp)?.stato).toBe('RPT_RIFIUTATA_NODO');
  });

  it('leaves the id of a cart without multiBeneficiario to uniqueness alone', async () => {
    const { k1, rpts } = twoDomains();
    const c = cart(`X${k1.iuv}`, rpts);
    expect((await w.pa('nodoInviaCarrelloRPT', c.content, c.header)).esito).toBe('OK');
  });
});

describe('the station an RT goes to', () => {
  const station = (idStation: string) => ({ idStation, idBrokerPA: 'B', enabled: true, serviceActive: true, url: 'http://x', version: 1 as const, old: { paPerNodo: `http://${idStation}`, returnUrl: 'http://r' } });
  const ctx = {
    reg: {
      ecs: [
        { fiscalCode: EC, companyName: 'A', enabled: true, ibans: [], stations: [{ idStation: 'S1', auxDigit: 3 as const }] },
        { fiscalCode: OTHER, companyName: 'B', enabled: true, ibans: [], stations: [{ idStation: 'S2', auxDigit: 3 as const }] },
      ],
      stations: [station('S1'), station('S2')],
    },
  } as unknown as OldCtx;

  it("is the sending station when it serves the RPT's domain, else the domain's own station", () => {
    expect(rtStationOf(ctx, { idDominio: EC, idStation: 'S1' })?.idStation).toBe('S1');
    expect(rtStationOf(ctx, { idDominio: OTHER, idStation: 'S1' })?.idStation).toBe('S2');
  });
});

describe('the ledger with one IUR for a whole cart (L571)', () => {
  const receipt = (iuv: string): LedgerReceipt => ({ model: 'old', receiptId: 'IURUNICO', ecFiscalCode: EC, iuv, ccp: 'C', idPSP: 'P', outcome: 'OK', amountCents: 100, transfers: [], paidAt: '2026-12-04T10:00:00', at: 0 });

  it('keeps one receipt per RT of the same EC, and replaces a receipt recorded again', () => {
    const l = new Ledger();
    l.recordReceipt(receipt('IUV1'));
    l.recordReceipt(receipt('IUV2'));
    l.recordReceipt({ ...receipt('IUV2'), amountCents: 200 });
    expect(l.receipts().map((r) => [r.iuv, r.amountCents])).toEqual([['IUV1', 100], ['IUV2', 200]]);
  });
});

describe("the suite's judgement of a cart's credits", () => {
  const r = (idDominio: string, amounts: number[], iban = true) => ({
    idDominio,
    iuv: 'I',
    rpt: {
      dominio: { identificativoDominio: idDominio },
      datiVersamento: { importoTotaleDaVersare: amounts.reduce((a, b) => a + b, 0), datiSingoloVersamento: amounts.map((x) => ({ importoSingoloVersamento: x, ...(iban ? { ibanAccredito: 'IT00' } : {}) })) },
    },
  });
  const sent = (...elements: ReturnType<typeof r>[]) => ({ elements }) as unknown as SentCart;

  it('passes the amounts and credits asked, names each difference', () => {
    expect(creditProblems(sent(r(EC, [1500, 1500, 1500]), r(OTHER, [1700])), [4500, 1700], EC, 3)).toEqual([]);
    expect(creditProblems(sent(r(EC, [4500]), r(OTHER, [1700])), [4500, 1700], EC, 3)).toEqual(['RPT 1 (77777777777): 1 datiSingoloVersamento, asked 3']);
    expect(creditProblems(sent(r(EC, [1500, 1500, 1600])), [4500, 1700], EC, 3)).toEqual(['1 RPT(s), asked 2', 'RPT 1 (77777777777): importoTotaleDaVersare 46.00, asked 45.00']);
    expect(creditProblems(sent(r(OTHER, [1700], false)), [1700], EC, 3)).toEqual(['RPT 1: a datiSingoloVersamento without ibanAccredito']);
  });

  it('names each difference in Italian too, with the same figures', () => {
    const said = creditProblemsSaid(sent(r(EC, [1500, 1500, 1600]), r(OTHER, [1700], false), r(EC, [1, 1, 1, 1, 1, 1])), [4500, 1700], EC, 3);
    expect(said.length).toBeGreaterThanOrEqual(5);
    for (const [en, it] of said) {
      expect(englishIn(it), it).toEqual([]);
      expect(it.match(/\d+(\.\d+)?/g)).toEqual(en.match(/\d+(\.\d+)?/g));
    }
  });
});
