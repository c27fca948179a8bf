// Composition root: read the environment once, start the embedded emulator when configured, start statusgraph,
// and stop both cleanly on SIGTERM/SIGINT.
import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { startEmulator } from './emulator/node.js';
import { createLogger } from './server/logger.js';
import { handleShutdownSignals } from './server/shutdown.js';
import { startStatusGraph } from './server/start-statusgraph.js';

/** The emulator's management-account credentials (LocalStack's convention). */
const EMULATOR_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`statusgraph: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  const emulator =
    config.backend === 'emulator'
      ? await startEmulator({
          port: config.emulator.port,
          memberAccounts: config.emulator.accounts,
          delayMs: config.emulator.delayMs,
        })
      : undefined;
  if (emulator) logger.info({ endpoint: emulator.endpoint, accounts: config.emulator.accounts }, 'embedded AWS emulator started');

  const server = await startStatusGraph(config, {
    logger,
    ...(emulator ? { awsEndpoint: emulator.endpoint, awsCredentials: EMULATOR_CREDENTIALS } : {}),
  });
  // Before the address is printed: a process manager (or a test) may signal as soon as it reads it.
  handleShutdownSignals({
    timeoutMs: config.shutdownTimeoutMs,
    logger,
    stop: async () => {
      await server.close();
      await emulator?.close();
    },
  });
  logger.info({ url: server.url, backend: config.backend, node: process.version }, 'statusgraph is listening');
  const board = new URL('/', server.url).href;
  console.log(`\n  statusgraph API and playground: ${server.url}\n  status board:                  ${board}\n  on Node.js ${process.version}\n`);
}

await main();
