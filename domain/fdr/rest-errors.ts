// The operational error codes of FdR 3 (appErrorCode of ErrorResponse; catalogue §4.4,
// NM-FDR-ERR-10…18): name, HTTP status and the meaning each carries. Every code is HTTP 400
// except FDR-3001 (404, the flow does not exist) and FDR-0500 (500).

export type FdrErrorCode =
  | 'FDR-0500'
  | 'FDR-1000' | 'FDR-1001' | 'FDR-1002' | 'FDR-1003' | 'FDR-1004' | 'FDR-1005'
  | 'FDR-2000' | 'FDR-2001' | 'FDR-2002' | 'FDR-2003' | 'FDR-2004' | 'FDR-2005' | 'FDR-2006' | 'FDR-2007' | 'FDR-2008' | 'FDR-2009'
  | 'FDR-3001' | 'FDR-3002' | 'FDR-3003' | 'FDR-3004' | 'FDR-3005' | 'FDR-3006' | 'FDR-3007' | 'FDR-3008' | 'FDR-3009' | 'FDR-3010'
  | 'FDR-4001' | 'FDR-4002';

export interface FdrErrorInfo {
  name: string;
  http: 400 | 404 | 500;
  /** what it means, for the answer's message */
  meaning: string;
  /** the catalogue rows it proves */
  requirements: readonly string[];
}

const e = (name: string, meaning: string, requirements: readonly string[], http: 400 | 404 | 500 = 400): FdrErrorInfo => ({ name, http, meaning, requirements });
const SYNTAX = ['NM-FDR-ERR-17'];
const CONFIG = ['NM-FDR-ERR-16'];

export const FDR_ERRORS: Readonly<Record<FdrErrorCode, FdrErrorInfo>> = {
  'FDR-0500': e('ERROR', 'an unexpected error occurred', [], 500),
  'FDR-1000': e('BAD_REQUEST', 'the request is not valid', SYNTAX),
  'FDR-1001': e('BAD_REQUEST_INPUT_JSON', 'a field has a value that is not valid', SYNTAX),
  'FDR-1002': e('BAD_REQUEST_INPUT_JSON_INSTANT', 'a date is not in ISO 8601 format (yyyy-MM-ddTHH:mm:ssZ)', SYNTAX),
  'FDR-1003': e('BAD_REQUEST_INPUT_JSON_ENUM', 'a field has a value outside its enumeration', SYNTAX),
  'FDR-1004': e('BAD_REQUEST_INPUT_JSON_DESERIALIZE_ERROR', 'a field cannot be deserialised (wrong type)', SYNTAX),
  'FDR-1005': e('BAD_REQUEST_INPUT_JSON_NON_VALID_FORMAT', 'the body is not valid JSON', SYNTAX),
  'FDR-2000': e('PSP_UNKNOWN', 'the PSP is unknown', CONFIG),
  'FDR-2001': e('PSP_NOT_ENABLED', 'the PSP is not enabled', CONFIG),
  'FDR-2002': e('BROKER_UNKNOWN', 'the PSP broker is unknown', CONFIG),
  'FDR-2003': e('BROKER_NOT_ENABLED', 'the PSP broker is not enabled', CONFIG),
  'FDR-2004': e('CHANNEL_UNKNOWN', 'the channel is unknown', CONFIG),
  'FDR-2005': e('CHANNEL_NOT_ENABLED', 'the channel is not enabled', CONFIG),
  'FDR-2006': e('CHANNEL_BROKER_WRONG_CONFIG', 'the channel is not configured for the PSP broker', CONFIG),
  'FDR-2007': e('CHANNEL_PSP_WRONG_CONFIG', 'the channel is not authorised for the PSP', CONFIG),
  'FDR-2008': e('EC_UNKNOWN', 'the creditor institution is unknown', CONFIG),
  'FDR-2009': e('EC_NOT_ENABLED', 'the creditor institution is not enabled', CONFIG),
  'FDR-3001': e('REPORTING_FLOW_NOT_FOUND', 'the flow does not exist', ['NM-FDR-ERR-18'], 404),
  'FDR-3002': e('REPORTING_FLOW_ALREADY_EXIST', 'a flow of that name is already a draft (CREATED/INSERTED): delete it first', ['NM-FDR-ERR-10']),
  'FDR-3003': e('REPORTING_FLOW_WRONG_ACTION', 'the action is not allowed in the flow\'s status', ['NM-FDR-ERR-11', 'NM-FDR-PAY-12']),
  'FDR-3004': e('REPORTING_FLOW_PSP_ID_NOT_MATCH', 'sender.pspId differs from the path\'s pspId', ['NM-FDR-ERR-12']),
  'FDR-3005': e('REPORTING_FLOW_PAYMENT_SAME_INDEX_IN_SAME_REQUEST', 'an index appears twice in the request', ['NM-FDR-ERR-13']),
  'FDR-3006': e('REPORTING_FLOW_PAYMENT_DUPLICATE_INDEX', 'an index is already in the flow', ['NM-FDR-ERR-13']),
  'FDR-3007': e('REPORTING_FLOW_PAYMENT_NO_MATCH_INDEX', 'an index is not in the flow', ['NM-FDR-ERR-13']),
  'FDR-3008': e('REPORTING_FLOW_NAME_DATE_WRONG_FORMAT', 'the flow name does not start with a date YYYY-MM-DD', ['NM-FDR-ERR-14', 'NM-FDR-VAL-01']),
  'FDR-3009': e('REPORTING_FLOW_NAME_PSP_WRONG_FORMAT', 'the flow name does not carry the PSP id after its date', ['NM-FDR-ERR-14', 'NM-FDR-VAL-01']),
  'FDR-3010': e('REPORTING_FLOW_NAME_NOT_MATCH', 'the body\'s fdr differs from the path\'s', ['NM-FDR-ERR-12']),
  'FDR-4001': e('REPORTING_FLOW_WRONG_TOT_PAYMENT', 'the payments added differ in number from totPayments', ['NM-FDR-ERR-15', 'NM-FDR-VAL-03']),
  'FDR-4002': e('REPORTING_FLOW_WRONG_SUM_PAYMENT', 'the payments added differ in sum from sumPayments', ['NM-FDR-ERR-15', 'NM-FDR-VAL-03']),
};

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error' };

/** The body of an FdR 3 error (ErrorResponse). */
export interface FdrErrorResponse {
  errorId?: string;
  httpStatusCode: number;
  httpStatusDescription: string;
  appErrorCode: FdrErrorCode;
  errors: { path?: string; message: string }[];
}

/** An FdR 3 error: the code, what exactly was wrong (naming the field), and where. */
export function fdrError(code: FdrErrorCode, detail: string, path?: string, errorId?: string): FdrErrorResponse {
  const info = FDR_ERRORS[code];
  return {
    ...(errorId ? { errorId } : {}),
    httpStatusCode: info.http,
    httpStatusDescription: STATUS_TEXT[info.http]!,
    appErrorCode: code,
    errors: [{ ...(path ? { path } : {}), message: `${info.name}: ${detail}` }],
  };
}

/**
 * The FDR-1xxx code of one schema refusal as the REST transport words it (`<where> <keyword>: <message>`,
 * src/wire/rest/openapi.ts): not JSON 1005, a date 1002, an enumeration 1003, a type 1004, a
 * missing field or body 1000, any other rule (pattern, bounds, sizes) 1001.
 */
export function syntaxCodeOf(refusal: string): FdrErrorCode {
  const m = /^(.*?) ([A-Za-z]+): (.*)$/s.exec(refusal);
  const where = m?.[1] ?? '';
  const keyword = m?.[2] ?? '';
  const message = m?.[3] ?? refusal;
  if (where === 'body' && keyword === 'type' && /not JSON/.test(message)) return 'FDR-1005';
  if (keyword === 'format' && /date/.test(message)) return 'FDR-1002';
  if (keyword === 'enum') return 'FDR-1003';
  if (keyword === 'type') return 'FDR-1004';
  if (keyword === 'required') return 'FDR-1000';
  return 'FDR-1001';
}
