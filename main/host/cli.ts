import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseHostConfig } from './config';
import { startHost } from './host';
import { HostError } from './host-error';
import { startupText } from './startup-text';

// `npm run host`: the meeting host without a window.

async function main(): Promise<void> {
  let config;
  try {
    config = parseHostConfig(process.argv.slice(2));
  } catch (error) {
    if (
      error instanceof ConfigError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`roundtable host: ${(error as Error).message} (see --help)`);
      process.exit(2);
    }
    throw error;
  }
  if (!config) return;
  // The bundle lives in dist/main/; the web client in dist/renderer/.
  config.webClientDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

  const host = await startHost(config, undefined, {
    // Rooms were already told the media server restarted; a supervisor (systemd, the desktop app) restarts us.
    onFatal: () => process.exit(1),
  });
  console.log(await startupText(host, config.dataDir));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: ending the meeting for everyone`);
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // A refusal the host explains (another host holds the data directory) needs no stack trace.
  if (error instanceof HostError) console.error(`roundtable host cannot start: ${error.message}`);
  else console.error('roundtable host failed to start:', error);
  process.exit(1);
});
