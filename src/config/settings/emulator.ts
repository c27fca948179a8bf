// Settings of the embedded emulator (the emulator backend only).
import { integerIn, MAX_TCP_PORT, ONE_HOUR_MS } from '../parsers.js';
import { setting } from '../setting.js';

const MAX_EMULATOR_ACCOUNTS = 10_000;

export const emulatorSettings = {
  /** The embedded emulator; only used when backend is `emulator`. */
  emulator: {
    /** Member accounts of the demo organization (the emulator's `memberAccounts`). */
    accounts: setting({
      name: 'STATUSGRAPH_EMULATOR_ACCOUNTS',
      parse: integerIn(1, MAX_EMULATOR_ACCOUNTS),
      default: 12,
      accepts: `an integer from 1 to ${MAX_EMULATOR_ACCOUNTS} (member accounts)`,
      description: "Member accounts of the emulator's demo organization; the management account comes on top.",
    }),
    delayMs: setting({
      name: 'STATUSGRAPH_EMULATOR_DELAY_MS',
      parse: integerIn(0, ONE_HOUR_MS),
      default: 5_000, // 5 seconds
      accepts: `an integer from 0 to ${ONE_HOUR_MS} (milliseconds)`,
      description: 'How long a registration, enrollment or account creation stays transitional in the emulator.',
    }),
    port: setting({
      name: 'STATUSGRAPH_EMULATOR_PORT',
      parse: integerIn(0, MAX_TCP_PORT),
      default: 0,
      documentedDefault: '0 (ephemeral)',
      accepts: `an integer TCP port from 0 to ${MAX_TCP_PORT} (0 = ephemeral)`,
      description: 'Port of the embedded emulator.',
    }),
  },
};
