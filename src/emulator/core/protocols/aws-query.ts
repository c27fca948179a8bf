// awsQuery (STS): form-encoded `Action=…&Version=…&Member=…` requests, XML answers wrapped in
// `<OperationResponse><OperationResult>`, errors as `<ErrorResponse><Error><Type><Code><Message>`.
// Without the service model the decoder cannot type scalars: every scalar input arrives as a string
// (`DurationSeconds: "3600"`); lists (`Tags.member.1.Key`) become arrays and dotted names nested objects.
import { type EmulatorRequest, type EmulatorResponse, fromUtf8, splitPath, utf8 } from '../exchange.js';
import { type AwsServiceError, type ServiceDefinition } from '../types.js';
import { type ProtocolCodec, REQUEST_ID_HEADER } from './codec.js';

const XML_CONTENT_TYPE = 'text/xml';
/** Form members that address the operation rather than carry input. */
const ROUTING_PARAMETERS = new Set(['Action', 'Version']);

export function awsQueryCodec(): ProtocolCodec {
  return {
    protocol: 'awsQuery',
    decodeInput(request: EmulatorRequest) {
      const input: Record<string, unknown> = {};
      for (const [name, value] of queryParameters(request)) {
        if (!ROUTING_PARAMETERS.has(name)) setMember(input, name.split('.'), value);
      }
      return listsFromMembers(input) as Record<string, unknown>;
    },
    encodeOutput(service, operation, output, requestId): EmulatorResponse {
      const xml =
        `<${operation}Response xmlns="${xmlNamespace(service)}">` +
        `<${operation}Result>${xmlMembers(output)}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
        `</${operation}Response>`;
      return xmlResponse(200, xml, requestId);
    },
    encodeError(service: ServiceDefinition, error: AwsServiceError, requestId: string): EmulatorResponse {
      const type = error.fault === 'server' ? 'Receiver' : 'Sender';
      const xml =
        `<ErrorResponse xmlns="${xmlNamespace(service)}">` +
        `<Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
        `${xmlMembers(error.fields)}</Error>` +
        `<RequestId>${requestId}</RequestId>` +
        `</ErrorResponse>`;
      return xmlResponse(error.status, xml, requestId);
    },
  };
}

/** The form parameters of an awsQuery request: the body of a POST, the query string of a GET. */
export function queryParameters(request: EmulatorRequest): URLSearchParams {
  if (request.method === 'GET') return new URLSearchParams(splitPath(request.path).query);
  return new URLSearchParams(fromUtf8(request.body));
}

function xmlNamespace(service: ServiceDefinition): string {
  return `https://${service.signingName}.amazonaws.com/doc/${service.queryVersion ?? ''}/`;
}

function xmlResponse(status: number, xml: string, requestId: string): EmulatorResponse {
  return { status, headers: { 'content-type': XML_CONTENT_TYPE, [REQUEST_ID_HEADER]: requestId }, body: utf8(xml) };
}

function setMember(target: Record<string, unknown>, path: readonly string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    const next = node[segment];
    if (next !== null && typeof next === 'object') {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  node[path[path.length - 1]!] = value;
}

/** `{ member: { 1: a, 2: b } }` is how awsQuery spells the list `[a, b]`. */
function listsFromMembers(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'member' && typeof record.member === 'object' && record.member !== null) {
    const items = record.member as Record<string, unknown>;
    return Object.keys(items)
      .filter((index) => /^\d+$/.test(index))
      .sort((a, b) => Number(a) - Number(b))
      .map((index) => listsFromMembers(items[index]));
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) result[key] = listsFromMembers(record[key]);
  return result;
}

/** Output members as XML elements: lists as `<member>` items, timestamps as ISO-8601, undefined members left out. */
function xmlMembers(members: Readonly<Record<string, unknown>>): string {
  let xml = '';
  for (const [name, value] of Object.entries(members)) {
    if (value === undefined || value === null) continue;
    xml += `<${name}>${xmlValue(value)}</${name}>`;
  }
  return xml;
}

function xmlValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map((item) => `<member>${xmlValue(item)}</member>`).join('');
  if (typeof value === 'object' && value !== null) return xmlMembers(value as Record<string, unknown>);
  return escapeXml(String(value));
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character]!);
}
