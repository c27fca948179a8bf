// Fault injection for tests and benchmarks: added latency, throttling (by rate or by a requests-per-second limit),
// 5xx answers, refused credentials and requests that never get one — per operation or for all of them. Settings come from the control API.
import { z } from 'zod';

/** Longest latency or jitter one request may be given; longer is a hang, and hangRate says that better. */
export const MAX_INJECTED_LATENCY_MS = 600_000; // 10 minutes
/** tpsLimit counts requests in fixed windows of this length. */
export const TPS_WINDOW_MS = 1_000; // 1 second

const rate = z.number().min(0).max(1);
const milliseconds = z.number().int().min(0).max(MAX_INJECTED_LATENCY_MS);

export const faultSettingsSchema = z.strictObject({
  /** Added to every affected request before it is answered. */
  latencyMs: milliseconds.optional(),
  /** A uniformly random extra delay between 0 and jitterMs. */
  jitterMs: milliseconds.optional(),
  /** Share of affected requests answered with the service's throttling error. */
  throttleRate: rate.optional(),
  /** Requests per second each affected operation admits; the rest get the throttling error. */
  tpsLimit: z.number().int().min(1).optional(),
  /** Share of affected requests answered with the service's 5xx. */
  errorRate: rate.optional(),
  /** Share of affected requests never answered (until the client gives up or the emulator closes). */
  hangRate: rate.optional(),
  /**
   * Share of affected requests held until `POST /_emulator/faults/release`, then answered as usual: a test holds the
   * calls of a moment it wants to look into (a poll round, a directory read) and lets them go when it chooses.
   */
  holdRate: rate.optional(),
  /**
   * With holdRate: a held request is answered as it arrives and only its answer waits for the release — AWS read the
   * state then, and the answer reached the client late. A test makes a read that began before a write answer after it.
   */
  holdAnswer: z.boolean().optional(),
  /** Share of affected requests refused for their credentials (UnrecognizedClientException, STS: InvalidClientTokenId). */
  refuseCredentialsRate: rate.optional(),
  /** `"<signing name>:<Operation>"` keys the faults apply to; absent = every operation. */
  operations: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, 'expected "<signing name>:<Operation>"')).optional(),
  /** Caller account ids (from the request's credentials) the faults apply to; absent = every account. */
  accounts: z.array(z.string().regex(/^\d{12}$/, 'expected a 12-digit account id')).optional(),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/** What happens to one request after its delay. */
export type FaultOutcome = 'answer' | 'hang' | 'hold' | 'throttle' | 'fail' | 'refuse';

export interface FaultDecision {
  readonly delayMs: number;
  readonly outcome: FaultOutcome;
}

const NO_FAULT: FaultDecision = { delayMs: 0, outcome: 'answer' };

export interface FaultInjectorOptions {
  /** Uniform in [0, 1); injectable so tests can decide every roll. @default Math.random */
  readonly random?: () => number;
  /** Monotonic milliseconds for the tpsLimit windows. @default performance.now */
  readonly monotonicNowMs?: () => number;
}

export class FaultInjector {
  #settings: FaultSettings = {};
  #operations: ReadonlySet<string> | undefined;
  #accounts: ReadonlySet<string> | undefined;
  /** Per operation: the TPS window a request last fell in, and how many requests it admitted. */
  #windows = new Map<string, { window: number; admitted: number }>();
  readonly #random: () => number;
  readonly #monotonicNowMs: () => number;
  /** Requests held (holdRate) until release(), each waiting on its own wake-up. */
  #held = new Set<() => void>();

  constructor(options: FaultInjectorOptions = {}) {
    this.#random = options.random ?? Math.random;
    this.#monotonicNowMs = options.monotonicNowMs ?? (() => performance.now());
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** Replaces the settings (already validated against faultSettingsSchema) and starts fresh TPS windows. */
  configure(settings: FaultSettings): void {
    this.#settings = settings;
    this.#operations = settings.operations ? new Set(settings.operations) : undefined;
    this.#accounts = settings.accounts ? new Set(settings.accounts) : undefined;
    this.#windows.clear();
  }

  clear(): void {
    this.configure({});
  }

  /** Rolls the dice for one request to `operationKey` (`"iotfleetwise:GetRegisterAccountStatus"`) by `accountId`. */
  decide(operationKey: string, accountId?: string): FaultDecision {
    const settings = this.#settings;
    if (this.#operations && !this.#operations.has(operationKey)) return NO_FAULT;
    if (this.#accounts && (accountId === undefined || !this.#accounts.has(accountId))) return NO_FAULT;
    const { latencyMs = 0, jitterMs = 0, hangRate = 0, holdRate = 0, throttleRate = 0, errorRate = 0, refuseCredentialsRate = 0, tpsLimit } = settings;
    if (latencyMs === 0 && jitterMs === 0 && hangRate === 0 && holdRate === 0 && throttleRate === 0 && errorRate === 0 && refuseCredentialsRate === 0 && tpsLimit === undefined) {
      return NO_FAULT;
    }
    const delayMs = latencyMs + (jitterMs > 0 ? Math.floor(this.#random() * jitterMs) : 0);
    if (hangRate > 0 && this.#random() < hangRate) return { delayMs, outcome: 'hang' };
    if (holdRate > 0 && this.#random() < holdRate) return { delayMs, outcome: 'hold' };
    if (refuseCredentialsRate > 0 && this.#random() < refuseCredentialsRate) return { delayMs, outcome: 'refuse' };
    if (tpsLimit !== undefined && !this.#admit(operationKey, tpsLimit)) return { delayMs, outcome: 'throttle' };
    if (throttleRate > 0 && this.#random() < throttleRate) return { delayMs, outcome: 'throttle' };
    if (errorRate > 0 && this.#random() < errorRate) return { delayMs, outcome: 'fail' };
    return { delayMs, outcome: 'answer' };
  }

  /** Requests held now (holdRate), waiting for release(). */
  get held(): number {
    return this.#held.size;
  }

  /** Waits until release() lets this request go on; rejects when `signal` aborts first (the client gave up). */
  untilReleased(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', abandon);
        resolve();
      };
      const abandon = () => {
        this.#held.delete(wake);
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('The request was abandoned', 'AbortError'));
      };
      if (signal.aborted) return abandon();
      this.#held.add(wake);
      signal.addEventListener('abort', abandon, { once: true });
    });
  }

  /** Lets every held request go on to its answer; returns how many. Later requests are held while holdRate says so. */
  release(): number {
    const held = [...this.#held];
    this.#held.clear();
    for (const wake of held) wake();
    return held.length;
  }

  /** Fixed one-second windows per operation; a rejected request does not use up the window. */
  #admit(operationKey: string, tpsLimit: number): boolean {
    const window = Math.floor(this.#monotonicNowMs() / TPS_WINDOW_MS);
    const current = this.#windows.get(operationKey);
    if (!current || current.window !== window) {
      this.#windows.set(operationKey, { window, admitted: 1 });
      return true;
    }
    if (current.admitted >= tpsLimit) return false;
    current.admitted += 1;
    return true;
  }
}
