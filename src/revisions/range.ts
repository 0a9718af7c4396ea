import { UserError } from "../errors";

/**
 * The `FROM:TO` target of offline `--sql` runs. A bare target means "from
 * base" for upgrade; downgrade needs an explicit start, since without a
 * database there is nothing to downgrade from.
 */
export function parseRange(target: string, direction: "upgrade" | "downgrade"): { from?: string; to: string } {
  const parts = target.split(":");
  if (parts.length === 1) {
    if (direction === "downgrade") {
      throw new UserError(`downgrade --sql needs a range FROM:TO (for example head:base), since there is no database to start from.`);
    }
    return { to: target };
  }
  if (parts.length !== 2 || !parts[1]) throw new UserError(`"${target}" is not a range; use FROM:TO, for example base:head.`);
  return { from: parts[0] || undefined, to: parts[1] };
}
