// The public surface of config/: loadConfig, the Config type, ConfigError, the documented variable list, and the
// AWS name patterns any layer may check names with. Variables are declared in ./settings/ (how: ./settings/index.ts).
export { loadConfig } from './load-config.js';
export { CONFIG_VARIABLES } from './config-table.js';
export type { ApiKeyConfig, AuthMode, Backend, Config, ConfigVariable, JwtConfig, LogLevel, NodeEnv, Role } from './config.js';
export { ConfigError } from './config-error.js';
export { isRegionName } from './aws-names.js';
export type { HistoryConfig } from './settings/history.js';
