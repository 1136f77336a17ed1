// Start-up guard for every entry point: a bad configuration prints one readable error and exits 1.
import { type Config, ConfigError, loadConfig } from './env.ts';

export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw err;
  }
}
