// How a configuration variable is declared: one object holds its name, parser, default and documentation, and the
// tree of those objects (./settings/) is the Config — its type (ConfigOf), its loader (./load-config.ts), the
// unknown-variable check and the README table are all read off it, so nothing about a variable is written twice.
import type { z } from 'zod';
import { ConfigError } from './config-error.js';

/** Reads the final value of any setting (parsed, else defaulted); used by defaults, checks and derived sections. */
export type ValueOf = <T, D extends boolean>(setting: Setting<T, D>) => D extends true ? T : T | undefined;

export interface LoadContext {
  readonly valueOf: ValueOf;
  /** True when the environment gave the setting a (non-blank) value. */
  readonly isSet: (setting: AnySetting) => boolean;
}

/** What every variable declares. */
interface SettingFields<T> {
  /** The environment variable. */
  readonly name: string;
  /** Parses the raw string; a failure is a ConfigError naming the variable and `accepts`. */
  readonly parse: z.ZodType<T, string>;
  /** What a value may be, with its unit — the tail of "is not accepted; expected …". */
  readonly accepts: string;
  /** What the variable does, for the README table. */
  readonly description: string;
  /**
   * A rule involving other settings, run on the final value (set or defaulted): returns what the value should have
   * been (`a value not below X (5000 ms)`), which stops the server like a bad value would.
   */
  readonly check?: (value: T, context: LoadContext) => string | undefined;
}

/** A variable with a default: its Config member is always present. */
interface SettingWithDefault<T> extends SettingFields<T> {
  /** The value when unset — fixed, or worked out from other settings. */
  readonly default: NoInfer<T> | ((context: LoadContext) => NoInfer<T>);
  /** The default as the README says it; required when `default` is worked out, else derived from the value. */
  readonly documentedDefault?: string;
}

/** A variable without a default: its Config member is absent when unset. */
interface SettingWithoutDefault<T> extends SettingFields<T> {
  readonly default?: undefined;
  /** What being unset means, for the README (`(none: any document)`). */
  readonly documentedDefault: string;
}

/** A declared variable; `HasDefault` says whether its value can be undefined. */
export interface Setting<T, HasDefault extends boolean = boolean> extends SettingFields<T> {
  readonly kind: 'setting';
  readonly hasDefault: HasDefault;
  readonly default?: T | ((context: LoadContext) => T);
  readonly documentedDefault: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any setting, whatever its value type
export type AnySetting = Setting<any, boolean>;

export function setting<T>(spec: SettingWithDefault<T> & { readonly default: (context: LoadContext) => NoInfer<T>; readonly documentedDefault: string }): Setting<T, true>;
export function setting<T>(spec: SettingWithDefault<T>): Setting<T, true>;
export function setting<T>(spec: SettingWithoutDefault<T>): Setting<T, false>;
export function setting<T>(spec: SettingWithDefault<T> | SettingWithoutDefault<T>): Setting<T, boolean> {
  const hasDefault = spec.default !== undefined;
  const documentedDefault = spec.documentedDefault ?? documentValue(spec.default);
  return Object.freeze({ ...spec, kind: 'setting' as const, hasDefault, documentedDefault });
}

/** `4000`, `us-east-1,eu-central-1`, `(none)` for an empty list. */
function documentValue(value: unknown): string {
  if (typeof value === 'function') throw new Error('a worked-out default needs a documentedDefault');
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  return String(value);
}

/**
 * A Config member worked out from several settings — a rule between them, or a shape a flat tree cannot say (an
 * optional group, a union). `build` gets its settings' values and returns the member (undefined = left out).
 */
export interface Derived<S extends Section, V> {
  readonly kind: 'derived';
  readonly settings: S;
  readonly build: (values: ConfigOf<S, false>, context: LoadContext) => V;
}

export function derived<S extends Section, V>(settings: S, build: (values: ConfigOf<S, false>, context: LoadContext) => V): Derived<S, V> {
  return Object.freeze({ kind: 'derived' as const, settings, build });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any derived member, whatever its settings and value
export type AnyDerived = Derived<any, unknown>;
export type Node = AnySetting | AnyDerived | Section;
/** A part of the Config: members that are settings, derived members or further sections. */
export interface Section {
  readonly [member: string]: Node;
}

type ValueOfNode<N, Freeze extends boolean> =
  N extends Setting<infer T, infer D>
    ? D extends true ? T : T | undefined
    : N extends { readonly kind: 'derived'; readonly build: (...args: never[]) => infer V }
      ? V
      : N extends Section
        ? ConfigOf<N, Freeze>
        : never;

type OptionalKeys<S, F extends boolean> = { [K in keyof S]: undefined extends ValueOfNode<S[K], F> ? K : never }[keyof S];
type RequiredKeys<S, F extends boolean> = Exclude<keyof S, OptionalKeys<S, F>>;

/** Read-only all the way down, as loadConfig freezes it. */
export type Frozen<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly Frozen<E>[]
    : T extends object
      ? { readonly [K in keyof T]: Frozen<T[K]> }
      : T;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The values a section of settings loads into: a member without a value is left out (optional). */
export type ConfigOf<S, Freeze extends boolean = true> = Flatten<
  { readonly [K in RequiredKeys<S, Freeze>]: Freeze extends true ? Frozen<ValueOfNode<S[K], Freeze>> : ValueOfNode<S[K], Freeze> } & {
    readonly [K in OptionalKeys<S, Freeze>]?: Freeze extends true
      ? Frozen<Exclude<ValueOfNode<S[K], Freeze>, undefined>>
      : Exclude<ValueOfNode<S[K], Freeze>, undefined>;
  }
>;

/** Every setting of a tree, in declaration order (derived members' settings included). */
export function settingsOf(node: Node): AnySetting[] {
  if (isSetting(node)) return [node];
  if (isDerived(node)) return settingsOf(node.settings);
  return Object.values(node).flatMap(settingsOf);
}

export function isSetting(node: Node): node is AnySetting {
  return (node as { kind?: unknown }).kind === 'setting';
}

export function isDerived(node: Node): node is AnyDerived {
  return (node as { kind?: unknown }).kind === 'derived';
}

type Loaded<S extends AnySetting> = S extends Setting<infer T, boolean> ? T : never;

/**
 * Settings that mean something only together, led by one (Redis's URL, the JWKS URL): without the leader the member
 * is left out, and another of them set is refused — it would do nothing; with it, each one without a default is
 * required.
 */
export function onlyWith<S extends Readonly<Record<string, AnySetting>>>(
  leader: keyof S & string,
  settings: S,
): Derived<S, { readonly [K in keyof S]: Loaded<S[K]> } | undefined> {
  const lead = settings[leader]!;
  return derived(settings, (values, { isSet }) => {
    const loaded = values as Readonly<Record<string, unknown>>;
    if (loaded[leader] === undefined) {
      const idle = Object.values(settings).find((member) => member !== lead && isSet(member));
      if (idle) throw new ConfigError(idle.name, ` has no effect without ${lead.name}; set both or neither`);
      return undefined;
    }
    const missing = Object.entries(settings).find(([key]) => loaded[key] === undefined);
    if (missing) throw new ConfigError(missing[1].name, ` is required with ${lead.name}`);
    return values as { readonly [K in keyof S]: Loaded<S[K]> };
  });
}
