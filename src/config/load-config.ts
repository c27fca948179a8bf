// Loads the environment into a frozen Config by walking the declared settings (./settings/): each variable parsed
// once, defaulted when unset, checked against the others, and unknown STATUSGRAPH_* variables refused by name.
import { ConfigError } from './config-error.js';
import type { Config } from './config.js';
import { isDerived, isSetting, settingsOf, type AnySetting, type LoadContext, type Node, type ValueOf } from './setting.js';
import { SETTINGS } from './settings/index.js';
import { rejectUnknownVariables } from './unknown-variables.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Every declared variable, in declaration order. */
export const DECLARED_SETTINGS: readonly AnySetting[] = Object.freeze(settingsOf(SETTINGS));

/**
 * Validates the environment into a deeply frozen Config.
 * @throws ConfigError for the first unknown STATUSGRAPH_* variable or bad value, naming it.
 */
export function loadConfig(env: Env): Config {
  rejectUnknownVariables(env, DECLARED_SETTINGS.map((declared) => declared.name));
  const context = loadingContext(env);
  return deepFreeze(loadNode(SETTINGS, context)) as Config;
}

function loadingContext(env: Env): LoadContext {
  const parsed = new Map<AnySetting, unknown>();
  const final = new Map<AnySetting, unknown>();

  const parse = (declared: AnySetting): unknown => {
    if (parsed.has(declared)) return parsed.get(declared);
    const raw = env[declared.name];
    let value: unknown;
    if (raw !== undefined && raw.trim() !== '') {
      const result = declared.parse.safeParse(raw);
      if (!result.success) throw ConfigError.badValue(declared.name, raw, declared.accepts);
      value = result.data;
    }
    parsed.set(declared, value);
    return value;
  };

  const valueOf = ((declared: AnySetting): unknown => {
    if (final.has(declared)) return final.get(declared);
    const fallback = declared.default;
    const value = parse(declared) ?? (typeof fallback === 'function' ? fallback(context) : fallback);
    final.set(declared, value);
    const expected = value === undefined ? undefined : declared.check?.(value, context);
    if (expected !== undefined) throw ConfigError.badValue(declared.name, String(value), expected);
    return value;
  }) as ValueOf;

  const context: LoadContext = { valueOf, isSet: (declared) => parse(declared) !== undefined };
  return context;
}

/** A setting's value, a derived member's build, or a section's members (members without a value left out). */
function loadNode(node: Node, context: LoadContext): unknown {
  if (isSetting(node)) return context.valueOf(node);
  if (isDerived(node)) return node.build(loadNode(node.settings, context) as never, context);
  const section: Record<string, unknown> = {};
  for (const [member, child] of Object.entries(node)) {
    const value = loadNode(child, context);
    if (value !== undefined) section[member] = value;
  }
  return section;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
