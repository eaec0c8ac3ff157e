import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isServerLocation } from './location.js';

/**
 * --db, else URP_DB, else $XDG_DATA_HOME/urp/urp.db (SPEC section 5); a
 * server URL is kept as given. Kept apart so that it costs nothing to load.
 */
export function resolveDatabasePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const given = flag || env.URP_DB;
  if (given) return isServerLocation(given) ? given.trim() : resolve(given);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'urp', 'urp.db');
}
