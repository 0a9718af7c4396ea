/**
 * `retort init --from-typeorm`: take over a database that TypeORM's own
 * migrations built. The TypeORM migrations are history; one baseline revision
 * builds today's schema from empty (so a fresh database still gets every
 * table), and the existing database is stamped at it, so nothing runs there.
 */
import { relative } from "node:path";
import { diffDatabaseWithModels, globalNotes } from "../autogenerate";
import { UserError } from "../errors";
import { buildMetadataOnly } from "../model";
import { ScriptDirectory } from "../revisions/script";
import { Runner } from "../runner/runner";
import { emptySchema } from "../schema/types";
import type { CommandContext } from "./context";
import { scaffold } from "./init";
import { runPostWriteHooks } from "./post-write";

const BASELINE_MESSAGE = "Baseline: the schema TypeORM's migrations built";

/** The names TypeORM records for the migration classes the config lists (MigrationExecutor: `name` or the class name). */
async function migrationsOnDisk(context: CommandContext): Promise<string[]> {
  const config = await context.config();
  const sources = config.typeormMigrations.sources;
  if (!sources || (Array.isArray(sources) && sources.length === 0)) return [];
  try {
    const dataSource = await buildMetadataOnly({ ...config.options, migrations: sources } as typeof config.options);
    return dataSource.migrations.map((m) => (m as { name?: string }).name ?? m.constructor.name);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0].replace(/\.$/, "");
    throw new UserError(`Could not load the TypeORM migrations the config lists in \`migrations\`: ${reason}.`);
  }
}

/** The migration names recorded in TypeORM's migrations table. */
async function executedMigrations(context: CommandContext, table: string): Promise<string[]> {
  const connection = await context.connection();
  const dialect = await context.dialect();
  let rows: Array<{ name: string }>;
  try {
    rows = await connection.db.query<{ name: string }>(`SELECT name FROM ${dialect.quoteTableName(table)}`);
  } catch {
    throw new UserError(
      `This database has no TypeORM migrations table "${table}" (the config's migrationsTableName); --from-typeorm adopts a database TypeORM's migrations built, and \`retort init\` starts a project without one.`,
    );
  }
  return rows.map((r) => String(r.name));
}

export async function runInitFromTypeorm(context: CommandContext, dir: string, revision: string): Promise<void> {
  const config = await context.config();
  const { tableName } = config.typeormMigrations;
  const executed = await executedMigrations(context, tableName);
  const onDisk = await migrationsOnDisk(context);
  const pending = onDisk.filter((name) => !executed.includes(name));
  if (pending.length > 0) {
    throw new UserError(
      `${pending.length} TypeORM migration${pending.length === 1 ? " is" : "s are"} not applied to this database yet (${pending.join(", ")}); run them with TypeORM's \`migration:run\` first, so the baseline describes the schema they build.`,
    );
  }
  const connection = await context.connection();
  const dialect = await context.dialect();
  const versionTable = config.retort.versionTable;
  const probe = new Runner(connection, dialect, new ScriptDirectory(config.retort.migrationsDir), { versionTable, transactionMode: "per-revision", log: () => undefined });
  const heads = await probe.currentHeads();
  if (heads.length > 0) throw new UserError(`This database is already managed by retort (at ${heads.join(", ")}); there is nothing to adopt.`);

  const migrationsDir = scaffold(context, dir, config.retort.migrationsDir);
  if (new ScriptDirectory(migrationsDir).revisions.size > 0) {
    throw new UserError(`${relative(context.cwd, migrationsDir)}/ already holds retort revisions; --from-typeorm writes the first one, so start from an empty folder.`);
  }
  const options = { includeTable: (name: string) => config.isManagedTable(name), foreignTables: config.typeormTables, resolveRename: () => false };
  const baseline = await diffDatabaseWithModels(connection, dialect, { ...options, current: emptySchema(), portable: true });
  if (baseline.upgrade.length === 0) throw new UserError("The entities describe no table, so there is no schema to take a baseline of; check the config's `entities`.");
  const { writeRevisionFile } = await import("../emit");
  const path = await writeRevisionFile(migrationsDir, config.retort.fileTemplate, {
    revision,
    downRevision: null,
    message: BASELINE_MESSAGE,
    createdAt: new Date(),
    upgrade: baseline.upgrade,
    downgrade: baseline.downgrade,
    notes: globalNotes(baseline),
  });
  await runPostWriteHooks(config.retort.postWrite ?? [], path, context.cwd);
  const scripts = new ScriptDirectory(migrationsDir);
  const runner = new Runner(connection, dialect, scripts, { versionTable, transactionMode: config.retort.transactionMode, log: () => undefined });
  await runner.stamp((current) => scripts.graph.planStamp(current, revision));

  const drift = await diffDatabaseWithModels(connection, dialect, options);
  context.out("");
  context.out(`Wrote ${relative(context.cwd, path)}: it builds today's schema from empty, so \`retort upgrade head\` still sets up a fresh database.`);
  context.out(`Stamped this database at ${revision} without running it; TypeORM's ${executed.length} migration${executed.length === 1 ? "" : "s"} and its "${tableName}" table are history now, and retort leaves them alone.`);
  context.out('From now on: `retort revision --autogenerate -m "..."` and `retort upgrade head`; drop `migrations`/`migrationsRun` from the DataSource your app starts with.');
  if (drift.upgrade.length > 0) {
    context.out(
      `Note: this database differs from the entities in ${drift.upgrade.length} way${drift.upgrade.length === 1 ? "" : "s"}; \`retort check\` lists them, and the next autogenerate writes them.`,
    );
  }
}
