import { typeorm, typeormInternal } from "../config/typeorm";

/**
 * TypeORM builds entity metadata by asking its decorator-argument storage,
 * for every entity, "which columns/relations/indices/... belong to this
 * target?" — each a scan of every argument of every entity, so building
 * metadata is quadratic in the number of entities (1.4 s of a 3.9 s
 * `retort check` at 1000 entities, 14.5 s at 3000). Every `check` pays it.
 *
 * This groups each argument list by target once (regrouping when the list
 * grows) and hands TypeORM's own methods only the matching subset, in the
 * original order, so their results are exactly what a full scan returns.
 */
type Item = { target?: unknown; propertyName?: string };
interface Grouped {
  length: number;
  groups: Map<unknown, Array<{ position: number; item: Item }>>;
}

const indexes = new WeakMap<readonly Item[], Grouped>();
const INSTALLED = Symbol.for("typeorm-retort.metadata-index");

function grouped(array: readonly Item[]): Grouped {
  let index = indexes.get(array);
  if (index && index.length === array.length) return index;
  const groups: Grouped["groups"] = new Map();
  array.forEach((item, position) => {
    const list = groups.get(item.target);
    if (list) list.push({ position, item });
    else groups.set(item.target, [{ position, item }]);
  });
  index = { length: array.length, groups };
  indexes.set(array, index);
  return index;
}

/** `array.filter((x) => (Array.isArray(target) ? target.includes(x.target) : x.target === target))`, without the scan. */
export function itemsOfTarget<T extends Item>(array: readonly T[], target: unknown): T[] {
  const { groups } = grouped(array);
  if (!Array.isArray(target)) return (groups.get(target) ?? []).map((entry) => entry.item as T);
  const entries = [...new Set(target)].flatMap((t) => groups.get(t) ?? []);
  return entries.sort((a, b) => a.position - b.position).map((entry) => entry.item as T);
}

type Storage = Record<string | symbol, unknown> & { generations: Item[] };

/** Installs the index on TypeORM's global decorator storage (once per process). */
export function installMetadataArgsIndex(): void {
  const storage = typeorm().getMetadataArgsStorage() as unknown as Storage;
  if (storage[INSTALLED]) return;
  storage[INSTALLED] = true;
  for (const method of [
    "filterByTarget",
    "filterByTargetAndWithoutDuplicateProperties",
    "filterByTargetAndWithoutDuplicateRelationProperties",
    "filterByTargetAndWithoutDuplicateEmbeddedProperties",
  ]) {
    const original = storage[method] as ((array: Item[], target: unknown) => unknown) | undefined;
    if (typeof original !== "function") continue;
    storage[method] = function (this: Storage, array: Item[], target: unknown) {
      return original.call(this, itemsOfTarget(array, target), target);
    };
  }
  for (const [method, list] of [
    ["filterIndices", "indices"],
    ["filterForeignKeys", "foreignKeys"],
    ["filterUniques", "uniques"],
    ["filterChecks", "checks"],
    ["filterExclusions", "exclusions"],
  ] as const) {
    if (typeof storage[method] !== "function" || !Array.isArray(storage[list])) continue;
    storage[method] = function (this: Storage, target: unknown) {
      return itemsOfTarget(this[list] as Item[], target);
    };
  }
  const utils = typeormInternal<{ MetadataUtils?: { isInherited?: Inherited } }>("metadata-builder/MetadataUtils")?.MetadataUtils;
  if (utils && typeof utils.isInherited === "function") {
    utils.isInherited = inheritedWithoutStrangers(utils.isInherited, () => (Array.isArray(storage.tables) ? (storage.tables as Item[]) : []));
  }
  if (typeof storage.findGenerated === "function") {
    storage.findGenerated = function (this: Storage, target: unknown, propertyName: string) {
      return itemsOfTarget(this.generations, target).find((generated) => generated.propertyName === propertyName);
    };
  }
}

type Inherited = (target1: unknown, target2: unknown) => boolean;

/**
 * TypeORM's metadata build asks of every pair of entities whether one extends
 * the other (`child.prototype instanceof parent`): a million checks at 1000
 * entities, 9 million at 3000, each slow once that many classes no longer fit
 * the CPU caches (~20x the time of N=1000 at N=3000). A class whose prototype
 * is in no entity class's prototype chain is the parent of no entity class:
 * for a child that is an entity class (from `tables()`), that answer is
 * `false` without the check; every other question goes to `original`.
 */
export function inheritedWithoutStrangers(original: Inherited, tables: () => readonly Item[]): Inherited {
  let counted = -1;
  let targets = new Set<unknown>();
  let ancestors = new Set<unknown>();
  let lastParent: unknown;
  let lastIsStranger = false;
  return function (this: unknown, target1: unknown, target2: unknown): boolean {
    const list = tables();
    if (list.length !== counted) {
      counted = list.length;
      targets = new Set();
      ancestors = new Set();
      for (const { target } of list) {
        if (typeof target !== "function") continue;
        targets.add(target);
        const own = (target as { prototype?: unknown }).prototype;
        for (let above = isObject(own) ? Object.getPrototypeOf(own) : null; above; above = Object.getPrototypeOf(above)) ancestors.add(above);
      }
      lastParent = undefined;
    }
    if (typeof target2 === "function" && targets.has(target1)) {
      if (target2 !== lastParent) {
        lastParent = target2;
        const prototype = (target2 as { prototype?: unknown }).prototype;
        // A custom Symbol.hasInstance or a non-object prototype: instanceof decides (or throws) as before.
        const plain = (target2 as { [Symbol.hasInstance]?: unknown })[Symbol.hasInstance] === Function.prototype[Symbol.hasInstance];
        lastIsStranger = plain && isObject(prototype) && !ancestors.has(prototype);
      }
      if (lastIsStranger) return false;
    }
    return original.call(this, target1, target2);
  };
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}
