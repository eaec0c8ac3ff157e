import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** --db, else URP_DB, else $XDG_DATA_HOME/urp/urp.db (SPEC section 5). Kept apart so that it costs nothing to load. */
export function resolveDatabasePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.URP_DB) return resolve(env.URP_DB);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'urp', 'urp.db');
}
