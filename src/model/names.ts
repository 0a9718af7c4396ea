/**
 * Entity names against the server's identifier limit. PostgreSQL silently
 * keeps the first 63 bytes of a longer name, so the model is compared under
 * the name the catalog will show (and the user is told); MySQL refuses a
 * longer name, so autogenerate stops before writing DDL that would fail.
 */
import type { Dialect, IdentifierLimit } from "../dialects/dialect";
import { UserError } from "../errors";
import { declaredNames, renameIdentifiers } from "../schema/names";
import type { Table } from "../schema/types";

/** An entity name the server will store shortened. */
export interface TruncatedName {
  /** For messages: `column "orders.…"`. */
  what: string;
  entity: string;
  name: string;
  stored: string;
  /** The table as the server stores it. */
  table: string;
}

export class IdentifierTooLongError extends UserError {
  constructor(
    readonly limit: IdentifierLimit,
    readonly what: string,
    readonly entity: string,
    readonly length: number,
  ) {
    super(
      `${limit.server} allows names of at most ${limit.max} ${limit.unit}, and ${what} (entity ${entity}) has ${length}; give it a shorter name in the entity.`,
    );
  }
}

export class IdentifierCollisionError extends UserError {
  constructor(limit: IdentifierLimit, first: string, second: string, stored: string) {
    super(
      `${limit.server} keeps only the first ${limit.max} ${limit.unit} of a name, so ${first} and ${second} would both be stored as "${stored}"; give one of them a shorter name in the entity.`,
    );
  }
}

function lengthIn(unit: IdentifierLimit["unit"], name: string): number {
  return unit === "bytes" ? Buffer.byteLength(name, "utf8") : [...name].length;
}

function fits(limit: IdentifierLimit, name: string): boolean {
  // A UTF-16 code unit is at most three UTF-8 bytes and at most one character: most names need no counting.
  const bound = limit.unit === "bytes" ? name.length * 3 : name.length;
  return bound <= limit.max || lengthIn(limit.unit, name) <= limit.max;
}

/**
 * The tables as the server will store them, and the names it will shorten.
 * Throws when the server refuses a name, or when two names in one namespace
 * would become the same.
 */
export function serverNames(tables: ReadonlyArray<{ table: Table; entity: string }>, dialect: Dialect): { tables: Table[]; truncated: TruncatedName[] } {
  const limit = dialect.identifierLimit;
  // A name within the limit is stored as declared, and only a shortened name can take another's place:
  // when every name fits (nearly every model), there is nothing to look up.
  if (!limit || tables.every(({ table }) => declaredNames(table).every((declared) => fits(limit, declared.name)))) {
    return { tables: tables.map((t) => t.table), truncated: [] };
  }
  const truncated: TruncatedName[] = [];
  const taken = new Map<string, { what: string; name: string }>();
  for (const { table, entity } of tables) {
    for (const declared of declaredNames(table)) {
      const length = lengthIn(limit.unit, declared.name);
      if (length > limit.max && !limit.truncates) throw new IdentifierTooLongError(limit, declared.what, entity, length);
      const stored = length > limit.max ? dialect.storedName(declared.name) : declared.name;
      const key = `${declared.namespace}\u0000${stored}`;
      const other = taken.get(key);
      if (other && other.name !== declared.name) throw new IdentifierCollisionError(limit, other.what, declared.what, stored);
      taken.set(key, declared);
      if (!other && stored !== declared.name) {
        truncated.push({ what: declared.what, entity, name: declared.name, stored, table: dialect.storedName(table.name) });
      }
    }
  }
  if (truncated.length === 0) return { tables: tables.map((t) => t.table), truncated };
  return { tables: tables.map((t) => renameIdentifiers(t.table, (name) => dialect.storedName(name))), truncated };
}
