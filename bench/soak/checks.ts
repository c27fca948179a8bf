// The soak's verdicts: every value statusgraph returned was the emulator's state at some moment of the load that
// produced it (within LOAD_WINDOW_MS before its fetchedAt), and every subscriber's last value per status is the
// emulator's final state.
import type { StatusHistory } from '../../src/emulator/core/world-control.js';
import type { StatusSample } from './observations.js';
import type { Subscriber } from './workload.js';

/**
 * How long before its fetchedAt a value may have been read: fetchedAt is stamped when the load that read it ended,
 * and a load may page (ListCreateAccountStatus is 20 a page), retry and back off through injected faults.
 * @default 30_000 // 30 seconds
 */
export const LOAD_WINDOW_MS = 30_000;
/** Clock slack between the emulator stamping a change and statusgraph stamping fetchedAt (same host clock). */
const SLACK_MS = 5;

export interface FreshnessVerdict {
  readonly checked: number;
  /** Values the emulator's history no longer reaches back to (bounded history). */
  readonly unverifiable: number;
  /** Values that were never the status's state within the window: each is a bug. */
  readonly wrong: string[];
  /** The longest look-back a value needed before its fetchedAt, in ms. */
  readonly maxLookBackMs: number;
}

/** Normalizes GraphQL enum values and AWS's spelling (`ACTIVE` / `Active`). */
function same(a: string | null, b: string | null): boolean {
  return (a === null ? null : a.toUpperCase()) === (b === null ? null : b.toUpperCase());
}

export function checkFreshness(samples: Iterable<StatusSample>, histories: Record<string, StatusHistory | null>): FreshnessVerdict {
  let checked = 0;
  let unverifiable = 0;
  let maxLookBackMs = 0;
  const wrong: string[] = [];
  for (const sample of samples) {
    checked++;
    const history = (histories[sample.key] ?? []).map((change) => ({ at: new Date(change.at).getTime(), value: change.value }));
    const from = sample.fetchedAt - LOAD_WINDOW_MS;
    const to = sample.fetchedAt + SLACK_MS;
    if (history.length === 0 || history[0]!.at > from) {
      unverifiable++;
      continue;
    }
    // The latest moment in [from, to] at which the status had the sample's value.
    let latest: number | undefined;
    history.forEach((change, index) => {
      const end = history[index + 1]?.at ?? Number.POSITIVE_INFINITY;
      if (same(change.value, sample.value) && change.at <= to && end > from) latest = Math.min(to, end - 1);
    });
    if (latest === undefined) {
      if (wrong.length < 20) wrong.push(`${sample.key} = ${sample.value} fetched ${new Date(sample.fetchedAt).toISOString()}; history ${JSON.stringify(histories[sample.key]?.slice(-4))}`);
      else wrong.push('…');
      continue;
    }
    maxLookBackMs = Math.max(maxLookBackMs, sample.fetchedAt - latest);
  }
  return { checked, unverifiable, wrong, maxLookBackMs };
}

export interface FinalStateVerdict {
  readonly statuses: number;
  /** Subscribers whose last value of some status is not its final state, with a few examples. */
  readonly subscribersBehind: number;
  /** Statuses some subscriber ends on wrongly, by what it saw last: `nothing`, `error <code>` or `another value`. */
  readonly behindBy: Record<string, number>;
  readonly examples: string[];
}

/** `expected`: subscription key (`FLEETWISE_REGISTRATION:<account>:<region>`…) → the emulator's final value. */
export function checkFinalStates(
  subscribers: readonly Subscriber[],
  expected: ReadonlyMap<string, string | null>,
  /** Accounts created while the soak ran: their statuses are told apart in `behindBy`. */
  createdAccounts: ReadonlySet<string>,
): FinalStateVerdict {
  let subscribersBehind = 0;
  const examples: string[] = [];
  const behindKeys = new Map<string, string>();
  for (const subscriber of subscribers) {
    let behind = false;
    for (const [key, value] of expected) {
      const seen = subscriber.last.has(key) ? subscriber.last.get(key)! : 'nothing';
      if (seen !== 'nothing' && same(seen, value)) continue;
      behind = true;
      const created = createdAccounts.has(key.split(':')[1]!) ? 'created account, ' : '';
      behindKeys.set(key, `${created}${seen === 'nothing' ? 'nothing' : seen?.startsWith('error ') ? seen : 'another value'}`);
      if (examples.length < 10) examples.push(`${key}: saw ${seen}${seen?.startsWith('error ') ? ` (${subscriber.lastErrorMessages.get(key)})` : ''}, final ${value}`);
    }
    if (behind) subscribersBehind++;
  }
  const behindBy: Record<string, number> = {};
  for (const kind of behindKeys.values()) behindBy[kind] = (behindBy[kind] ?? 0) + 1;
  return { statuses: expected.size, subscribersBehind, behindBy, examples };
}
