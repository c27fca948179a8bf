// The emulator's own HTTP API under /_emulator/ (unsigned JSON, same port as AWS): call counts per operation,
// fault injection settings, held and released status transitions, status histories, session invalidation and a
// health check — what tests and benchmarks use to observe, steer and disturb the emulator.
import type { z } from 'zod';
import { type EmulatorRequest, type EmulatorResponse, fromUtf8, jsonResponse, splitPath } from './exchange.js';
import { type FaultInjector, faultSettingsSchema } from './faults.js';
import { historyRequestSchema, transitionPatternsSchema, type WorldControl } from './world-control.js';

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
  /** Transitions, histories and sessions of the emulated world; absent for an emulator of bare test services. */
  readonly world?: WorldControl;
  /** The emulator clock: a released transition completes at its now. */
  readonly clock: () => Date;
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
    case 'faults/held':
      return request.method === 'GET' ? jsonResponse(200, { held: state.faults.held }) : methodNotAllowed('GET');
    case 'faults/release':
      return request.method === 'POST' ? jsonResponse(200, { released: state.faults.release() }) : methodNotAllowed('POST');
    default:
      return (state.world && handleWorldRequest(request, resource, state.world, state.clock)) ?? notFound(request);
  }
}

/** The world's resources; undefined for a path that is none of them. */
function handleWorldRequest(request: EmulatorRequest, resource: string, world: WorldControl, clock: () => Date): EmulatorResponse | undefined {
  switch (resource) {
    case 'transitions':
      return request.method === 'GET' ? jsonResponse(200, world.transitions(clock())) : methodNotAllowed('GET');
    case 'transitions/hold':
    case 'transitions/release': {
      if (request.method !== 'POST') return methodNotAllowed('POST');
      const body = readBody(request, transitionPatternsSchema, 'transition patterns');
      if ('error' in body) return body.error;
      const keys = body.value.keys ?? ['*'];
      return resource === 'transitions/hold'
        ? jsonResponse(200, { held: world.hold(keys, clock()) })
        : jsonResponse(200, { released: world.release(keys, clock()) });
    }
    case 'history': {
      if (request.method !== 'POST') return methodNotAllowed('POST');
      const body = readBody(request, historyRequestSchema, 'history request');
      if ('error' in body) return body.error;
      return jsonResponse(200, world.history(body.value.keys, clock()));
    }
    case 'sessions':
      return request.method === 'DELETE' ? jsonResponse(200, { invalidated: world.invalidateSessions() }) : methodNotAllowed('DELETE');
    default:
      return undefined;
  }
}

/** A JSON body checked against its schema, or the 400 that names what is wrong. */
function readBody<Schema extends z.ZodType>(
  request: EmulatorRequest,
  schema: Schema,
  what: string,
): { value: z.infer<Schema> } | { error: EmulatorResponse } {
  let body: unknown;
  try {
    body = JSON.parse(fromUtf8(request.body));
  } catch {
    return { error: jsonResponse(400, { message: `The ${what} must be a JSON object.` }) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    return { error: jsonResponse(400, { message: `Invalid ${what}: ${problems.join('; ')}` }) };
  }
  return { value: parsed.data };
}

function notFound(request: EmulatorRequest): EmulatorResponse {
  return jsonResponse(404, {
    message: `No emulator control resource at ${request.path}; try /_emulator/calls, /_emulator/faults, /_emulator/faults/held, /_emulator/faults/release, /_emulator/transitions, /_emulator/history, /_emulator/sessions or /_emulator/health.`,
  });
}

/** Validates the whole body before applying any of it: a bad body leaves the settings as they were. */
function putFaults(request: EmulatorRequest, state: ControlApiState): EmulatorResponse {
  const body = readBody(request, faultSettingsSchema, 'fault settings');
  if ('error' in body) return body.error;
  const unknown = (body.value.operations ?? []).filter((key) => !state.operationKeys.has(key));
  if (unknown.length > 0) {
    return jsonResponse(400, { message: `Invalid fault settings: unknown operations ${unknown.join(', ')}` });
  }
  state.faults.configure(body.value);
  return jsonResponse(200, state.faults.settings);
}

function methodNotAllowed(allow: string): EmulatorResponse {
  return jsonResponse(405, { message: `Method not allowed; use ${allow}.` }, { allow });
}
