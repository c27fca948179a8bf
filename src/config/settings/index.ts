// Every environment variable statusgraph reads, declared once: the tree below is the Config. Its shape is the
// Config's shape, each leaf a `setting({ name, parse, default, accepts, description })` (../setting.ts), and from it
// come the Config type (../config.ts), the loader and the unknown-variable check (../load-config.ts) and the README
// table (../config-table.ts).
//
// Adding a variable is one edit: declare it with `setting(...)` in the section file it belongs to (or a new section
// file, spread in below). Its Config member, parser, default, unknown-variable check and README row follow; then
// `npm run config:table` rewrites the README table (test/config/config-table.test.ts fails until it does), and
// test/config/config.test.ts wants one bad value for it (it checks every variable has one). A rule between
// variables is a `check` on the setting; a member worked out from several (an optional group, a union) is
// `derived(...)` or `onlyWith(...)`.
//
// An empty value counts as unset. Any other STATUSGRAPH_* variable is an error: it is almost always a typo.
import { authSettings } from './auth.js';
import { awsSettings } from './aws.js';
import { emulatorSettings } from './emulator.js';
import { historySettings } from './history.js';
import { limitSettings } from './limits.js';
import { serverSettings } from './server.js';
import { statusSettings } from './status.js';

export const SETTINGS = {
  ...serverSettings,
  ...emulatorSettings,
  ...awsSettings,
  ...statusSettings,
  ...authSettings,
  ...historySettings,
  /** What one client may ask of the server; everything past a limit is refused before any AWS call. */
  limits: limitSettings,
};
