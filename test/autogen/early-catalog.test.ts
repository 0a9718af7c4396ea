/**
 * The catalog read `check` starts before the entities load: used only when it
 * read the namespaces the model needs, its failure reported where the catalog
 * is used and nowhere when it is not, and never an unhandled rejection.
 * (That its schema is what `introspect` gives is the CLI tests' business:
 * test/cli/check-early-catalog.test.ts.)
 */
import { EntitySchema } from "typeorm";
import { diffDatabaseWithModels, startCatalogRead, type EarlyCatalogRead } from "../../src/autogenerate";
import { getDialect } from "../../src/dialects";
import type { CatalogSnapshot, Dialect } from "../../src/dialects/dialect";
import { connectWith, type Connection } from "../../src/runner/connection";
import type { Schema } from "../../src/schema/types";

const Note = new EntitySchema<{ id: number; body: string }>({
  name: "Note",
  tableName: "notes",
  columns: { id: { type: Number, primary: true, generated: true }, body: { type: "text" } },
});

/** A read that failed, with a handler attached as `startCatalogRead` attaches one. */
function failedRead(namespaces: string[], message: string): EarlyCatalogRead {
  const snapshot = Promise.reject(new Error(message));
  snapshot.catch(() => undefined);
  return { namespaces, snapshot };
}

describe("the early catalog read", () => {
  let connection: Connection;
  const dialect = getDialect("sqlite");
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    connection = await connectWith({ type: "better-sqlite3", database: ":memory:", entities: [Note] });
    await connection.db.query("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, body text NOT NULL)");
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await connection?.close();
  });

  const diff = (early?: EarlyCatalogRead) => diffDatabaseWithModels(connection, dialect, { includeTable: () => true, resolveRename: () => false, early });

  it("is set aside, failure and all, when it read other namespaces than the model needs", async () => {
    const result = await diff(failedRead(["elsewhere"], "early read failed"));
    expect(result.upgrade).toEqual([]);
  });

  it("reports its failure where the catalog is read when it is the one used", async () => {
    await expect(diff(failedRead([], "permission denied for pg_catalog"))).rejects.toThrow("permission denied for pg_catalog");
  });

  it("gives the schema of the managed tables, chosen after the model is known", async () => {
    const asked: Array<string[]> = [];
    const live = await dialect.introspect(connection.db, {});
    const snapshot: CatalogSnapshot = {
      namespaces: [],
      schema: (include = () => true): Schema => {
        asked.push(live.tables.map((t) => t.name).filter(include));
        return { ...live, tables: live.tables.filter((t) => include(t.name)) };
      },
    };
    const result = await diffDatabaseWithModels(connection, dialect, {
      includeTable: (name) => name !== "sqlite_sequence",
      resolveRename: () => false,
      early: { namespaces: [], snapshot: Promise.resolve(snapshot) },
    });
    expect(result.upgrade).toEqual([]);
    expect(asked).toEqual([["notes"]]);
  });

  it("started on a dialect that can read early, an unused failure is no unhandled rejection", async () => {
    const failing: Dialect = { ...dialect, snapshotCatalog: () => Promise.reject(new Error("catalog unreadable")) };
    const early = startCatalogRead(connection, failing);
    expect(early?.namespaces).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    await expect(early!.snapshot).rejects.toThrow("catalog unreadable");
  });

  it("is not started where the driver reads in this thread (SQLite)", () => {
    expect(startCatalogRead(connection, dialect)).toBeUndefined();
  });
});
