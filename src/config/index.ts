// The public surface of config/: loadConfig, the Config type, ConfigError and the documented variable list.
export {
  CONFIG_VARIABLES,
  loadConfig,
  type Backend,
  type Config,
  type ConfigVariable,
  type LogLevel,
  type NodeEnv,
} from './config.js';
export { ConfigError } from './config-error.js';
