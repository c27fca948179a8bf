// The public surface of config/: loadConfig, the Config type, ConfigError and the documented variable list.
export {
  CONFIG_VARIABLES,
  loadConfig,
  type ApiKeyConfig,
  type AuthMode,
  type Backend,
  type Config,
  type ConfigVariable,
  type JwtConfig,
  type LogLevel,
  type NodeEnv,
  type Role,
} from './config.js';
export { ConfigError } from './config-error.js';
export { isRegionName } from './aws-names.js';
