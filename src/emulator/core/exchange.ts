// The HTTP exchange as the protocol core sees it: plain data in, plain data out, so the core runs without a socket
// (node.ts adapts node:http to it; tests call it directly).

/** An HTTP request. Header names are lower-case, as node:http delivers them. */
export interface EmulatorRequest {
  readonly method: string;
  /** Path and optional query string, exactly as sent on the request line (`/`, `/service/X/operation/Y`, `/?a=b`). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array;
  /**
   * Aborted when nobody waits for the answer any more (the client went away, the server is closing): a hung or
   * delayed request then settles by rejecting with an AbortError instead of staying in memory.
   */
  readonly signal?: AbortSignal;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** One header's value; repeated headers are joined with a comma, as HTTP and SigV4 both read them. */
export function headerValue(request: EmulatorRequest, lowerCaseName: string): string | undefined {
  const value = request.headers[lowerCaseName];
  if (value === undefined || typeof value === 'string') return value;
  return value.join(',');
}

/** Splits `/path?query` into its two halves; the query is '' when absent. */
export function splitPath(path: string): { pathname: string; query: string } {
  const questionMark = path.indexOf('?');
  return questionMark < 0
    ? { pathname: path, query: '' }
    : { pathname: path.slice(0, questionMark), query: path.slice(questionMark + 1) };
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** A JSON response without AWS framing, for the control API and for requests no AWS protocol claims. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: utf8(JSON.stringify(value)),
  };
}
