import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection now and then during a long import (issue 12:
 * a million rows in at most 300 MB). Each row leaves a few kilobytes of
 * short-lived objects; V8, seeing memory to spare, lets its heap grow with
 * them to several hundred megabytes before it collects, although what is
 * alive stays under fifty. Collecting every ROWS rows keeps the heap near
 * what is alive, for about twenty milliseconds each time.
 *
 * V8 gives a collection on demand only to code started with --expose-gc;
 * the flag, set now, reaches a fresh context (the usual way to get it in a
 * running process). Undefined where that is refused: the import then runs
 * as before, with V8's own pace.
 */
const ROWS = 50_000;

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Counts rows; every ROWS of them, collects. */
export function heapKeeper(): (rows?: number) => void {
  let since = 0;
  return (rows = 1) => {
    since += rows;
    if (since < ROWS) return;
    since = 0;
    collector()?.();
  };
}
