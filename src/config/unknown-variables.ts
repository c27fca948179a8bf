// Unknown STATUSGRAPH_* variables stop the server: a typo would otherwise be silently ignored. The message names
// the closest declared variable when one is a letter or two away.
import { ConfigError } from './config-error.js';

const STATUSGRAPH_PREFIX = 'STATUSGRAPH_';

/** Typos are a letter or two away; anything further is a different word and suggesting it would mislead. */
const MAX_SUGGESTION_DISTANCE = 3;

/** @throws ConfigError for the first (alphabetically) STATUSGRAPH_* variable that is not declared. */
export function rejectUnknownVariables(env: Readonly<Record<string, string | undefined>>, declared: readonly string[]): void {
  const known = declared.filter((name) => name.startsWith(STATUSGRAPH_PREFIX));
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith(STATUSGRAPH_PREFIX) && !known.includes(name)) {
      throw ConfigError.unknownVariable(name, closestName(name, known));
    }
  }
}

function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= MAX_SUGGESTION_DISTANCE && (best === undefined || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
