// Runs createAwsServices against a real emulator over HTTP, with the emulator's control API at hand: call counts
// keyed "<signing name>:<Operation>" and fault injection. Each harness owns its emulator and its services.
import { createAwsServices, type AwsServicesOptions } from '../../src/aws/index.js';
import type { AwsCallEvent, AwsServices } from '../../src/aws/types.js';
import { type EmulatorControl, startEmulator } from '../../src/emulator/node.js';

/** The emulator's management account and its LocalStack-style credentials. */
export const MANAGEMENT_ACCOUNT_ID = '000000000000';
export const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const MEMBER_ROLE_NAME = 'OrganizationAccountAccessRole';

export interface FaultSettings {
  readonly latencyMs?: number;
  readonly throttleRate?: number;
  readonly tpsLimit?: number;
  readonly errorRate?: number;
  readonly hangRate?: number;
  readonly refuseCredentialsRate?: number;
  readonly operations?: readonly string[];
  readonly accounts?: readonly string[];
}

export interface Harness {
  readonly endpoint: string;
  /** Holds and releases the emulator's transitions: tests complete a transition when they want, never wait for one. */
  readonly emulator: EmulatorControl;
  readonly services: AwsServices;
  /** Every AwsCallEvent the services reported, in order. */
  readonly events: AwsCallEvent[];
  /** Call counts since the last resetCalls(), keyed "<signing name>:<Operation>". */
  calls(): Promise<Record<string, number>>;
  resetCalls(): Promise<void>;
  setFaults(faults: FaultSettings): Promise<void>;
  /** Another AwsServices on the same emulator, with other options. */
  servicesWith(overrides: Partial<AwsServicesOptions>): AwsServices;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly memberAccounts?: number;
  /** How long emulated transitions take, in milliseconds. @default 600_000 — tests release them instead */
  readonly delayMs?: number;
  readonly services?: Partial<AwsServicesOptions>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({
    port: 0,
    memberAccounts: options.memberAccounts ?? 12,
    delayMs: options.delayMs ?? 600_000,
  });
  const { endpoint } = emulator;
  const events: AwsCallEvent[] = [];
  const created: AwsServices[] = [];
  const servicesWith = (overrides: Partial<AwsServicesOptions>): AwsServices => {
    const services = createAwsServices({
      region: 'us-east-1',
      endpoint,
      credentials: EMULATOR_CREDENTIALS,
      memberRoleName: MEMBER_ROLE_NAME,
      timeoutMs: 5_000,
      maxSockets: 50,
      maxAttempts: 3,
      rateLimitPerSecond: 1_000,
      onCall: (event) => events.push(event),
      ...overrides,
    });
    created.push(services);
    return services;
  };
  const control = async (path: string, method: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${endpoint}/_emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    endpoint,
    emulator: emulator.control,
    services: servicesWith(options.services ?? {}),
    events,
    calls: async () => (await control('calls', 'GET')) as Record<string, number>,
    resetCalls: async () => {
      await control('calls', 'DELETE');
    },
    setFaults: async (faults) => {
      await control('faults', 'PUT', faults);
    },
    servicesWith,
    close: async () => {
      for (const services of created) services.destroy();
      await emulator.close();
    },
  };
}
