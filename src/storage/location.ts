/**
 * Where a register is: a file path, or a PostgreSQL server's URL (issue 13),
 * and how that location may be shown. Imports nothing, so that every part of
 * storage may use it.
 */

/** How long a writer waits for another process's write transaction before giving up. */
export const BUSY_TIMEOUT_MS = 30_000;

/** `postgres://` and `postgresql://` name a server; anything else is a file. */
export function isServerLocation(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location.trim());
}

/**
 * A server location as it may be shown: the password (in the URL or as a
 * `password` parameter) replaced by `***`. Anything that is no URL is shown
 * as it is (a file path).
 */
export function maskLocation(location: string): string {
  if (!isServerLocation(location)) return location;
  try {
    const url = new URL(location.trim());
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) if (/^(password|sslpassword|passfile)$/i.test(key)) url.searchParams.set(key, '***');
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    // Unparsable: show nothing that could be a secret.
    return location.replace(/^(postgres(?:ql)?:\/\/)[^/?#]*/i, '$1***');
  }
}
