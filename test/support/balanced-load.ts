// Load as a load balancer sends it: a few clients posting one query in a loop until told to stop (once /readyz
// says the instance is leaving), keeping every answer's status — a GraphQL error in a 200 counts as a failure.
import { post } from '../e2e/hardening-support.js';

export interface BalancedLoad {
  /** 200 for each request answered in full, else its HTTP status (or 0 when the connection failed). */
  readonly statuses: number[];
  /** Resolves once at least `count` requests were answered. */
  answered(count: number): Promise<void>;
  /** Sends no new request, and resolves when the ones in flight are answered. */
  stop(): Promise<void>;
}

export function startBalancedLoad(url: string, query: string, clients: number): BalancedLoad {
  const statuses: number[] = [];
  let sending = true;
  const client = async () => {
    while (sending) {
      const answer = await post(url, { query }).catch(() => undefined);
      statuses.push(answer === undefined ? 0 : answer.status === 200 && answer.body.errors === undefined ? 200 : answer.status);
    }
  };
  const running = Promise.all(Array.from({ length: clients }, client));
  return {
    statuses,
    async answered(count) {
      while (statuses.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async stop() {
      sending = false;
      await running;
    },
  };
}
