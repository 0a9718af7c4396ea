/**
 * The identifier limit decides per name, with a shortcut for the names that
 * surely fit: whatever the characters, a name is reported shortened (or
 * refused) exactly when the server's own measure exceeds its limit.
 */
import fc from "fast-check";
import { getDialect } from "../../src/dialects";
import { IdentifierTooLongError, serverNames } from "../../src/model/names";
import type { Table } from "../../src/schema/types";

// One-, two-, three- and four-byte UTF-8 characters (the last two are one and two UTF-16 code units).
const character = fc.constantFrom("a", "_", "é", "ж", "€", "漢", "😀", "𝔸");
const identifier = fc.array(character, { minLength: 1, maxLength: 70, size: "max" }).map((chars) => chars.join(""));

function tableWith(columns: string[]): Table {
  return { name: "t", columns: [...new Set(columns)].map((name) => ({ name, type: "integer", nullable: false })) } as Table;
}

describe("names against the server's identifier limit", () => {
  test("PostgreSQL: a column is stored shortened exactly when it has more than 63 UTF-8 bytes", () => {
    const postgres = getDialect("postgres");
    fc.assert(
      fc.property(fc.array(identifier, { minLength: 1, maxLength: 6 }), (columns) => {
        const table = tableWith(columns);
        let result: ReturnType<typeof serverNames>;
        try {
          result = serverNames([{ table, entity: "T" }], postgres);
        } catch {
          // Two long names sharing their first 63 bytes: refused, and only then.
          const stored = table.columns.map((c) => postgres.storedName(c.name));
          expect(new Set(stored).size).toBeLessThan(stored.length);
          return;
        }
        const over = table.columns.map((c) => c.name).filter((name) => Buffer.byteLength(name, "utf8") > 63);
        expect(result.truncated.map((t) => t.name).sort()).toEqual(over.sort());
        expect(result.tables[0].columns.map((c) => c.name)).toEqual(table.columns.map((c) => postgres.storedName(c.name)));
      }),
      { numRuns: 2000 },
    );
  });

  test("MySQL: a name of more than 64 characters (code points) is refused, any shorter one kept", () => {
    const mysql = getDialect("mysql");
    fc.assert(
      fc.property(identifier, (column) => {
        const run = () => serverNames([{ table: tableWith([column]), entity: "T" }], mysql);
        if ([...column].length > 64) expect(run).toThrow(IdentifierTooLongError);
        else expect(run().tables[0].columns[0].name).toBe(column);
      }),
      { numRuns: 2000 },
    );
  });
});
