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
  installBuildIndexes(utils);
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
  const wrapped = withoutStrangers(original, tables);
  Object.defineProperty(wrapped, ORIGINAL, { value: original });
  return wrapped;
}

const ORIGINAL = Symbol("typeorm-retort.original-isInherited");

function withoutStrangers(original: Inherited, tables: () => readonly Item[]): Inherited {
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
        for (const above of prototypesAbove(target)) ancestors.add(above);
      }
      lastParent = undefined;
    }
    if (typeof target2 === "function" && targets.has(target1)) {
      if (target2 !== lastParent) {
        lastParent = target2;
        // A custom Symbol.hasInstance or a non-object prototype: instanceof decides (or throws) as before.
        const prototype = plainInstanceofPrototype(target2);
        lastIsStranger = prototype !== undefined && !ancestors.has(prototype);
      }
      if (lastIsStranger) return false;
    }
    return original.call(this, target1, target2);
  };
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** The prototypes `instanceof` walks from an instance of `target`: above `target.prototype` in its chain. */
function* prototypesAbove(target: unknown): Generator<object> {
  const own = (target as { prototype?: unknown }).prototype;
  for (let above = isObject(own) ? Object.getPrototypeOf(own) : null; above; above = Object.getPrototypeOf(above)) yield above;
}

/**
 * `parent.prototype` when `x instanceof parent` means exactly "parent.prototype
 * is above x in its chain" (the default `Symbol.hasInstance`, an object
 * prototype); undefined otherwise (a custom `hasInstance`, a bound function,
 * a non-object prototype, where `instanceof` may also throw).
 */
function plainInstanceofPrototype(parent: unknown): object | undefined {
  const prototype = (parent as { prototype?: unknown }).prototype;
  const plain = (parent as { [Symbol.hasInstance]?: unknown })[Symbol.hasInstance] === Function.prototype[Symbol.hasInstance];
  return plain && isObject(prototype) ? prototype : undefined;
}

type Metadata = { target?: unknown; childEntityMetadatas?: unknown[]; tableType?: unknown; targetName?: unknown; givenTableName?: unknown };
type Builder = {
  computeParentEntityMetadata?: (all: Metadata[], metadata: Metadata) => unknown;
  computeInverseProperties?: (metadata: InverseOwner, all: Metadata[]) => void;
  build?: (...args: unknown[]) => unknown;
};
type InverseOwner = { name?: string; relations: Relation[] };
type Relation = {
  type: unknown;
  propertyPath: string;
  inverseEntityMetadata?: unknown;
  inverseSidePropertyPath?: string;
  inverseRelation?: unknown;
  buildInverseSidePropertyPath(): string;
};

/**
 * Three steps of TypeORM's `EntityMetadataBuilder.build` scan the whole
 * entity list once per entity, column or relation, as both TypeORM lines
 * compile them (whitespace collapsed below):
 * - the loop setting every entity's `childEntityMetadatas`: a filter over all
 *   entities inside a loop over all entities, 9 million `isInherited` calls at
 *   3000 entities (~1 s);
 * - for every column, "is its class a single-table child entity?": a `find`
 *   over all entities, 36 million comparisons at 3000 entities (~0.6 s);
 * - for every relation, "which entity is on the other side?"
 *   (`computeInverseProperties`), another `find` over all entities (~0.2 s).
 * The list exists only inside `build`, so it gets its own `forEach` and `find`
 * for the duration of the build; they answer a callback whose source is
 * exactly one of the first two from an index, and run any other callback (another
 * TypeORM version, a bundler's rewrite, every other step) as written. The
 * third closes over the relation, so the method itself is replaced, only while
 * its source is exactly the one below.
 */
const CHILDREN_LOOP =
  '(metadata) => { metadata.childEntityMetadatas = entityMetadatas.filter((childMetadata) => { return (typeof metadata.target === "function" && typeof childMetadata.target === "function" && MetadataUtils_1.MetadataUtils.isInherited(childMetadata.target, metadata.target)); }); }';
const SINGLE_TABLE_CHILD_LOOKUP = '(otherEntityMetadata) => otherEntityMetadata.tableType === "entity-child" && otherEntityMetadata.target === args.target';
const INSTANCEOF_TEST = "isInherited(target1, target2) { return target1.prototype instanceof target2; }";
const INVERSE_PROPERTIES =
  'computeInverseProperties(entityMetadata, entityMetadatas) { entityMetadata.relations.forEach((relation) => { // compute inverse side (related) entity metadatas for all relation metadatas const inverseEntityMetadata = entityMetadatas.find((m) => m.target === relation.type || (typeof relation.type === "string" && (m.targetName === relation.type || m.givenTableName === relation.type))); if (!inverseEntityMetadata) throw new error_1.TypeORMError("Entity metadata for " + entityMetadata.name + "#" + relation.propertyPath + " was not found. Check if you specified a correct entity object and if it\'s connected in the connection options."); relation.inverseEntityMetadata = inverseEntityMetadata; relation.inverseSidePropertyPath = relation.buildInverseSidePropertyPath(); // and compute inverse relation and mark if it has such relation.inverseRelation = inverseEntityMetadata.relations.find((foundRelation) => foundRelation.propertyPath === relation.inverseSidePropertyPath); }); }';

/** How often each step was answered from the index in this process (tests check that the recognition still holds). */
export const buildStepsAnswered = { children: 0, singleTableChildLookups: 0, inverseSides: 0 };

function installBuildIndexes(utils: { isInherited?: Inherited } | undefined): void {
  const builder = typeormInternal<{ EntityMetadataBuilder?: { prototype: Builder } }>("metadata-builder/EntityMetadataBuilder")?.EntityMetadataBuilder
    ?.prototype;
  if (!builder || !utils || typeof builder.computeParentEntityMetadata !== "function" || typeof builder.build !== "function") return;
  // The children are answered only for the plain `instanceof` test (inheritedWithoutStrangers keeps its original).
  const original = (utils.isInherited as { [ORIGINAL]?: Inherited } | undefined)?.[ORIGINAL];
  const answerChildren = typeof original === "function" && collapse(String(original)) === INSTANCEOF_TEST;
  const computeParent = builder.computeParentEntityMetadata;
  const build = builder.build;
  const armed = new Set<Metadata[]>();
  const arm = (all: Metadata[]) => {
    armed.add(all);
    let singleTableChildren: { length: number; entries: Array<{ metadata: Metadata; index: number }> } | undefined;
    Object.defineProperty(all, "forEach", {
      configurable: true,
      writable: true,
      value: function (this: Metadata[], callback: (metadata: Metadata, index: number, list: Metadata[]) => void, thisArg?: unknown) {
        if (!answerChildren || !hasSource(callback, CHILDREN_LOOP)) {
          return Array.prototype.forEach.call(this, callback, thisArg);
        }
        const isInherited = utils.isInherited as Inherited;
        const children = childrenByInheritance(this, (child, parent) => isInherited.call(utils, child, parent));
        for (let i = 0; i < this.length; i++) this[i].childEntityMetadatas = children[i];
        buildStepsAnswered.children++;
      },
    });
    Object.defineProperty(all, "find", {
      configurable: true,
      writable: true,
      value: function (this: Metadata[], predicate: (metadata: Metadata, index: number, list: Metadata[]) => unknown, thisArg?: unknown) {
        if (!hasSource(predicate, SINGLE_TABLE_CHILD_LOOKUP)) {
          return Array.prototype.find.call(this, predicate, thisArg);
        }
        // The predicate is false for every entity that is not a single-table child (its first test): the first
        // match among those is the first match of the whole list. Junction entities join the list during the build.
        if (!singleTableChildren || singleTableChildren.length > this.length) singleTableChildren = { length: 0, entries: [] };
        for (let index = singleTableChildren.length; index < this.length; index++) {
          if (this[index].tableType === "entity-child") singleTableChildren.entries.push({ metadata: this[index], index });
        }
        singleTableChildren.length = this.length;
        buildStepsAnswered.singleTableChildLookups++;
        return singleTableChildren.entries.find(({ metadata, index }) => predicate.call(thisArg, metadata, index, this))?.metadata;
      },
    });
  };
  const disarm = (all: Metadata[]) => {
    armed.delete(all);
    delete (all as { forEach?: unknown }).forEach;
    delete (all as { find?: unknown }).find;
  };
  if (typeof builder.computeInverseProperties === "function" && collapse(String(builder.computeInverseProperties)) === INVERSE_PROPERTIES) {
    builder.computeInverseProperties = inversePropertiesFromIndex(builder.computeInverseProperties);
  }
  // The list is first handed to a method here, right before the children loop.
  builder.computeParentEntityMetadata = function (this: Builder, all: Metadata[], metadata: Metadata) {
    if (Array.isArray(all) && !armed.has(all) && !Object.prototype.hasOwnProperty.call(all, "forEach") && !Object.prototype.hasOwnProperty.call(all, "find")) {
      arm(all);
    }
    return computeParent.call(this, all, metadata);
  };
  // The list becomes the DataSource's `entityMetadatas`: it must not keep the stand-ins, whatever happens in between.
  builder.build = function (this: Builder, ...args: unknown[]) {
    try {
      return build.apply(this, args);
    } finally {
      for (const all of [...armed]) disarm(all);
    }
  };
}

function collapse(source: string): string {
  return source.replace(/\s+/g, " ").trim();
}

// A step's callback is a new closure at every call, of the same few sources: the verdict is kept per raw source.
const collapsedSources = new Map<string, string>();

function hasSource(fn: unknown, expected: string): boolean {
  if (typeof fn !== "function") return false;
  const raw = Function.prototype.toString.call(fn);
  let collapsed = collapsedSources.get(raw);
  if (collapsed === undefined) collapsedSources.set(raw, (collapsed = collapse(raw)));
  return collapsed === expected;
}

/**
 * `computeInverseProperties` as TypeORM writes it (INVERSE_PROPERTIES), with
 * the entity on the other side of each relation looked up in an index of the
 * list instead of a scan: the first entity whose target is the relation's
 * type or, for a type given as a string, whose target name or table name is.
 */
function inversePropertiesFromIndex(original: NonNullable<Builder["computeInverseProperties"]>): Builder["computeInverseProperties"] {
  const TypeORMError = typeorm().TypeORMError as new (message: string) => Error;
  const indexes = new WeakMap<Metadata[], { length: number; byTarget: Map<unknown, number>; byName: Map<unknown, number>; byTable: Map<unknown, number> }>();
  const indexOf = (all: Metadata[]) => {
    let index = indexes.get(all);
    // The build appends junction entities one by one, each followed by this step: the index grows with the list.
    if (!index || index.length > all.length) indexes.set(all, (index = { length: 0, byTarget: new Map(), byName: new Map(), byTable: new Map() }));
    const first = (map: Map<unknown, number>, key: unknown, i: number) => map.has(key) || map.set(key, i);
    for (let i = index.length; i < all.length; i++) {
      first(index.byTarget, all[i].target, i);
      first(index.byName, all[i].targetName, i);
      first(index.byTable, all[i].givenTableName, i);
    }
    index.length = all.length;
    return index;
  };
  return function (this: Builder, entityMetadata: InverseOwner, all: Metadata[]) {
    // Not the list the build hands over (a caller of its own): TypeORM's scan.
    if (!Array.isArray(all) || !Array.isArray(entityMetadata?.relations)) return original.call(this, entityMetadata, all);
    const index = indexOf(all);
    entityMetadata.relations.forEach((relation) => {
      const type = relation.type;
      const found = [index.byTarget.get(type), ...(typeof type === "string" ? [index.byName.get(type), index.byTable.get(type)] : [])];
      const first = Math.min(...found.map((i) => (i === undefined ? Infinity : i)));
      const inverseEntityMetadata = first === Infinity ? undefined : (all[first] as Metadata & { relations: Relation[] });
      if (!inverseEntityMetadata)
        throw new TypeORMError(
          `Entity metadata for ${entityMetadata.name}#${relation.propertyPath} was not found. Check if you specified a correct entity object and if it's connected in the connection options.`,
        );
      relation.inverseEntityMetadata = inverseEntityMetadata;
      relation.inverseSidePropertyPath = relation.buildInverseSidePropertyPath();
      relation.inverseRelation = inverseEntityMetadata.relations.find((foundRelation) => foundRelation.propertyPath === relation.inverseSidePropertyPath);
    });
    buildStepsAnswered.inverseSides++;
  };
}

/**
 * For each entry of `list`, the entries (in list order) whose target
 * inherits from its target, as
 * `list.filter((c) => typeof m.target === "function" && typeof c.target === "function" && isInherited(c.target, m.target))`
 * computes, from one walk up each class's prototype chain instead of a test
 * per pair. `child.prototype instanceof Parent` is true exactly when
 * `Parent.prototype` is above `child.prototype` in its chain, for a parent
 * with the default `Symbol.hasInstance` and an object `prototype`; any other
 * parent (a bound function, a custom `hasInstance`, a non-object prototype,
 * where `instanceof` may also throw) is asked pair by pair as before.
 */
export function childrenByInheritance<M extends Metadata>(list: readonly M[], isInherited: Inherited): M[][] {
  const belowPrototype = new Map<unknown, M[]>();
  for (const child of list) {
    if (typeof child.target !== "function") continue;
    for (const above of prototypesAbove(child.target)) {
      const below = belowPrototype.get(above);
      if (below) below.push(child);
      else belowPrototype.set(above, [child]);
    }
  }
  return list.map((metadata) => {
    const parent = metadata.target;
    if (typeof parent !== "function") return [];
    const prototype = plainInstanceofPrototype(parent);
    if (prototype !== undefined) return [...(belowPrototype.get(prototype) ?? [])];
    return list.filter((child) => typeof child.target === "function" && isInherited(child.target, parent));
  });
}
