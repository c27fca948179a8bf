// ConfigError: the one error loadConfig throws, with a single-line message that names the variable, its value
// (redacted when it looks like a secret) and what the variable accepts, so a bad setting stops the server legibly.

const REDACTED = '<redacted>';

/** Longest value echoed back; the rest is cut so the message stays one readable line. */
const MAX_ECHOED_VALUE_LENGTH = 80;

/** Names that announce a secret whatever their value looks like. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i;
/** AWS access key ids (long-term AKIA…, temporary ASIA…). */
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;
/** An unbroken run of 32+ token characters: API keys, session tokens, secret access keys, JWT segments. */
const TOKEN_RUN = /[A-Za-z0-9+/=_-]{32,}/g;
/** `scheme://user:password@host` or `scheme://token@host`. */
const URL_WITH_USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;
/** A URL variable whose value has an `@` anywhere: even a malformed URL may carry a password before it. */
const URL_VARIABLE = /_URL$/;

/** True when echoing the value could leak a credential. */
export function looksSecret(variable: string, value: string): boolean {
  return (
    SECRET_NAME.test(variable) ||
    AWS_ACCESS_KEY_ID.test(value) ||
    (value.match(TOKEN_RUN) ?? []).some(isTokenLike) ||
    URL_WITH_USERINFO.test(value) ||
    (URL_VARIABLE.test(variable) && value.includes('@'))
  );
}

/** Generated secrets mix letters and digits; a long run of one kind is a word or a number, not a key. */
function isTokenLike(run: string): boolean {
  return /\d/.test(run) && /[A-Za-z]/.test(run);
}

/** The value as it may appear in a message: quoted, escaped onto one line, shortened, or `<redacted>`. */
export function displayValue(variable: string, value: string): string {
  if (looksSecret(variable, value)) return REDACTED;
  const shown = value.length > MAX_ECHOED_VALUE_LENGTH ? `${value.slice(0, MAX_ECHOED_VALUE_LENGTH)}…` : value;
  return JSON.stringify(shown);
}

export class ConfigError extends Error {
  /** The environment variable at fault. */
  readonly variable: string;

  /** `problem` follows the variable name directly: `=value is not accepted…` or ` is not a statusgraph setting…`. */
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable}${problem}`.replace(/\s*[\r\n]+\s*/g, ' '));
    this.name = 'ConfigError';
    this.variable = variable;
  }

  /** `STATUSGRAPH_X="abc" is not accepted; expected …` */
  static badValue(variable: string, value: string, accepts: string): ConfigError {
    return new ConfigError(variable, `=${displayValue(variable, value)} is not accepted; expected ${accepts}`);
  }

  /** An unknown STATUSGRAPH_* variable: almost always a typo that would otherwise be silently ignored. */
  static unknownVariable(variable: string, suggestion: string | undefined): ConfigError {
    const hint = suggestion ? `; did you mean ${suggestion}?` : '; the settings are listed in README.md (Configuration) and declared in src/config/settings/';
    return new ConfigError(variable, ` is not a statusgraph setting${hint}`);
  }
}
