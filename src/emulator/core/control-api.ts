// The emulator's own HTTP API under /_emulator/ (unsigned JSON, same port as AWS): call counts per operation,
// fault injection settings and a health check — what tests and benchmarks use to observe and disturb the emulator.
import { type EmulatorRequest, type EmulatorResponse, fromUtf8, jsonResponse, splitPath } from './exchange.js';
import { type FaultInjector, faultSettingsSchema } from './faults.js';

export const CONTROL_PATH_PREFIX = '/_emulator/';

/** Requests routed to each operation, keyed `"<signing name>:<Operation>"`; failed and faulted requests count too. */
export class CallCounter {
  #counts = new Map<string, number>();

  record(operationKey: string): void {
    this.#counts.set(operationKey, (this.#counts.get(operationKey) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  reset(): void {
    this.#counts.clear();
  }
}

export interface ControlApiState {
  readonly calls: CallCounter;
  readonly faults: FaultInjector;
  /** Every `"<signing name>:<Operation>"` the emulator serves; fault settings may only name these. */
  readonly operationKeys: ReadonlySet<string>;
}

export function isControlRequest(request: EmulatorRequest): boolean {
  return request.path.startsWith(CONTROL_PATH_PREFIX);
}

export function handleControlRequest(request: EmulatorRequest, state: ControlApiState): EmulatorResponse {
  const resource = splitPath(request.path).pathname.slice(CONTROL_PATH_PREFIX.length);
  switch (resource) {
    case 'health':
      return request.method === 'GET' ? jsonResponse(200, { status: 'ok' }) : methodNotAllowed('GET');
    case 'calls':
      if (request.method === 'GET') return jsonResponse(200, state.calls.snapshot());
      if (request.method === 'DELETE') {
        state.calls.reset();
        return jsonResponse(200, state.calls.snapshot());
      }
      return methodNotAllowed('GET, DELETE');
    case 'faults':
      if (request.method === 'GET') return jsonResponse(200, state.faults.settings);
      if (request.method === 'PUT') return putFaults(request, state);
      if (request.method === 'DELETE') {
        state.faults.clear();
        return jsonResponse(200, state.faults.settings);
      }
      return methodNotAllowed('GET, PUT, DELETE');
    default:
      return jsonResponse(404, { message: `No emulator control resource at ${request.path}; try /_emulator/calls, /_emulator/faults or /_emulator/health.` });
  }
}

/** Validates the whole body before applying any of it: a bad body leaves the settings as they were. */
function putFaults(request: EmulatorRequest, state: ControlApiState): EmulatorResponse {
  let body: unknown;
  try {
    body = JSON.parse(fromUtf8(request.body));
  } catch {
    return jsonResponse(400, { message: 'The fault settings must be a JSON object.' });
  }
  const parsed = faultSettingsSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    return jsonResponse(400, { message: `Invalid fault settings: ${problems.join('; ')}` });
  }
  const unknown = (parsed.data.operations ?? []).filter((key) => !state.operationKeys.has(key));
  if (unknown.length > 0) {
    return jsonResponse(400, { message: `Invalid fault settings: unknown operations ${unknown.join(', ')}` });
  }
  state.faults.configure(parsed.data);
  return jsonResponse(200, state.faults.settings);
}

function methodNotAllowed(allow: string): EmulatorResponse {
  return jsonResponse(405, { message: `Method not allowed; use ${allow}.` }, { allow });
}
