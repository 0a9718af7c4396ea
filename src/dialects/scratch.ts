/**
 * Empty databases made for `retort test` and dropped afterwards: a uniquely
 * named database on the configured server, or a temporary SQLite file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataSourceOptions } from "typeorm";
import type { Queryable, ScratchDatabase } from "./dialect";

/** The configured connection options pointed at database `name` (in `url` too, which TypeORM prefers). */
function pointedAt(options: DataSourceOptions, name: string): Partial<DataSourceOptions> {
  const url = (options as { url?: string }).url;
  if (url === undefined) return { database: name } as Partial<DataSourceOptions>;
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return { database: name, url: parsed.toString() } as Partial<DataSourceOptions>;
}

/** CREATE DATABASE over the configured connection; DROP DATABASE once the scratch connections are closed. */
export async function serverScratchDatabase(
  options: DataSourceOptions,
  admin: () => Promise<Queryable>,
  name: string,
  quote: (name: string) => string,
): Promise<ScratchDatabase> {
  const db = await admin();
  await db.query(`CREATE DATABASE ${quote(name)}`);
  return {
    options: pointedAt(options, name),
    describe: `database ${name}`,
    drop: async () => {
      await db.query(`DROP DATABASE IF EXISTS ${quote(name)}`);
    },
  };
}

/** A database in a new temporary folder, removed with it. */
export async function fileScratchDatabase(name: string): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "retort-test-"));
  const file = join(dir, `${name}.db`);
  return {
    options: { database: file } as Partial<DataSourceOptions>,
    describe: `temporary file ${file}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
