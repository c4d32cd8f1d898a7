// The old model's business documents (SANP 2.2.6): RPT, RT, RR, ER, ackRT and codiceIdRPT — types,
// builders, readers, the answers one party builds for another, and the semantic rules between them.
export * from './types.js';
export { DocumentError, type DocumentErrorRule } from './codec.js';
export { rptXml, rtXml, rrXml, erXml, ackXml, readRpt, readRt, readRr, readEr, readAck, toBase64, fromBase64 } from './documents.js';
export { type IuvForm, type Iuv, newIuv, newIuvRf, isRfIuv, iuvOfNotice, causaleVersamento, newCcp } from './ids.js';
export { multiBeneficiaryCartId, multiBeneficiaryCartIdProblem, multiBeneficiaryCartIdProblemSaid } from './cart-id.js';
export {
  type CodiceIdRpt,
  type CodiceIdRptForm,
  type NoticeOfCodiceIdRpt,
  CODIFICA_INFRASTRUTTURA,
  codiceIdRpt,
  noticeOfCodiceIdRpt,
  codiceIdRptXml,
  codiceIdRptDocument,
  readCodiceIdRpt,
} from './ids.js';
export { type RtOutcome, type RtOptions, type RrOptions, type ErOptions, type AckOptions, HARNESS_ATTESTANTE, rtFor, rrFor, erFor, ackFor, mittenteOf, datePart } from './outcomes.js';
export { type Problem, type RptContext, type DocumentCheck, DOCUMENT_CHECKS, rptChecks, rtAgainstRpt, rrAgainstRt, erAgainstRr, firstDifference } from './checks.js';
export { type TipoBollo, STAMP_COST_CENTS, documentHash, isSha256Base64 } from './stamps.js';
export { CANALE_FAULTS } from './canale-faults.js';
