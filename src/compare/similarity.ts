import type { Column, Table } from "../schema/types";

/** Structural equality for canonical schema values; an `undefined` property counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    if (!deepEqual(ra[key], rb[key])) return false;
  }
  return true;
}

/** Code-point order, independent of the locale (deterministic output). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Name similarity in [0, 1] (Dice coefficient over character bigrams, case-insensitive). */
export function nameSimilarity(a: string, b: string): number {
  const bigrams = (s: string): string[] => {
    const lower = s.toLowerCase();
    if (lower.length < 2) return [lower];
    return Array.from({ length: lower.length - 1 }, (_, i) => lower.slice(i, i + 2));
  };
  const left = bigrams(a);
  const right = bigrams(b);
  const pool = [...right];
  let common = 0;
  for (const gram of left) {
    const at = pool.indexOf(gram);
    if (at >= 0) {
      common++;
      pool.splice(at, 1);
    }
  }
  return (2 * common) / (left.length + right.length);
}

/** What must be equal for two columns to be the same data under another name. */
export function columnShape(column: Column): string {
  const { type, length, precision, scale, array, unsigned, enumName } = column;
  return JSON.stringify({ type, length, precision, scale, array, unsigned, enumName });
}

const SECONDARY: ReadonlyArray<keyof Column> = [
  "nullable",
  "default",
  "comment",
  "collation",
  "charset",
  "autoIncrement",
  "identity",
  "generated",
  "enumValues",
];

/** A rename score for a dropped and an added column, or `undefined` when they cannot be the same column. */
export function columnRenameScore(dropped: Column, added: Column): number | undefined {
  if (columnShape(dropped) !== columnShape(added)) return undefined;
  return SECONDARY.filter((key) => deepEqual(dropped[key], added[key])).length;
}

/**
 * A rename score for a dropped and an added table: the share of columns
 * (name and shape) they have in common, or `undefined` below one half.
 */
export function tableRenameScore(dropped: Table, added: Table): number | undefined {
  const signature = (c: Column) => `${c.name}:${columnShape(c)}`;
  const left = new Set(dropped.columns.map(signature));
  const right = new Set(added.columns.map(signature));
  const common = [...left].filter((s) => right.has(s)).length;
  const union = new Set([...left, ...right]).size;
  if (common === 0 || common / union < 0.5) return undefined;
  return common / union;
}

/**
 * Pairs dropped and added items into rename candidates, best first: by
 * `score`, then name similarity, then names. Each item appears in at most one
 * pair, so the resolver is never asked about the same item twice.
 */
export function pairCandidates<T extends { name: string }>(
  dropped: readonly T[],
  added: readonly T[],
  score: (dropped: T, added: T) => number | undefined,
): Array<[T, T]> {
  const scored: Array<{ from: T; to: T; score: number; similarity: number }> = [];
  for (const from of dropped) {
    for (const to of added) {
      const s = score(from, to);
      if (s !== undefined) scored.push({ from, to, score: s, similarity: nameSimilarity(from.name, to.name) });
    }
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.similarity - a.similarity ||
      compareText(a.from.name, b.from.name) ||
      compareText(a.to.name, b.to.name),
  );
  const used = new Set<T>();
  const pairs: Array<[T, T]> = [];
  for (const candidate of scored) {
    if (used.has(candidate.from) || used.has(candidate.to)) continue;
    used.add(candidate.from);
    used.add(candidate.to);
    pairs.push([candidate.from, candidate.to]);
  }
  return pairs;
}
