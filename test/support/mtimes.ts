/** Setting files' modification times back, for tests of what retort decides from them (the caches). */
import { readdirSync, utimesSync } from "node:fs";
import { join } from "node:path";

/** Sets `path`'s access and modification times to `ms` before now. */
export function backdate(path: string, ms: number): void {
  const at = new Date(Date.now() - ms);
  utimesSync(path, at, at);
}

/** Every file of `dir`, recursively, dated a minute back: older than the two seconds within which a file may still change unseen. */
export function settle(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) settle(path);
    backdate(path, 60_000);
  }
}
