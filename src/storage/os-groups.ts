import { readFileSync } from 'node:fs';

/**
 * The id of an operating-system group, by name (from /etc/group) or as a
 * number; undefined when there is no such group.
 */
export function groupId(name: string): number | undefined {
  const wanted = name.trim();
  if (/^\d+$/.test(wanted)) return Number(wanted);
  let text: string;
  try {
    text = readFileSync('/etc/group', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [group, , gid] = line.split(':');
    if (group === wanted && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}
