// The Config type and its named parts, read off the declared settings (./settings/): a variable added there is a
// member here without another word written.
import type { ConfigOf } from './setting.js';
import type { SETTINGS } from './settings/index.js';

/** The server's configuration, validated once at start and frozen; only src/main.ts passes process.env in. */
export type Config = ConfigOf<typeof SETTINGS>;

export type Backend = Config['backend'];
export type NodeEnv = Config['nodeEnv'];
export type LogLevel = Config['logLevel'];
export type AuthMode = Config['auth']['mode'];
/** OIDC/JWT bearer tokens, verified against the identity provider's published keys. */
export type JwtConfig = NonNullable<Config['auth']['jwt']>;
export type { ApiKeyConfig, Role } from './parsers.js';

/** One documented variable, for the README table. */
export interface ConfigVariable {
  readonly name: string;
  /** The default as people read it (`5000`, `(none)`, or a rule). */
  readonly default: string;
  /** What a value may be, with its unit. */
  readonly accepts: string;
  readonly description: string;
}
