import { randomBytes } from "node:crypto";
import { relative } from "node:path";
import type { Argv } from "yargs";
import { getDialect } from "../dialects";
import { UserError } from "../errors";
import { parseRange } from "../revisions/range";
import { EmptyTargetError, MultipleHeadsError } from "../revisions/errors";
import type { RevisionGraph } from "../revisions/graph";
import { MAX_REVISION_ID_LENGTH } from "../revisions/ids";
import { resolveUpgradeTarget } from "../revisions/targets";
import type { VersionState } from "../runner/state";
import type { CommandContext } from "./context";
import { describeRevision, historyLine } from "./format";
import { registerLint } from "./lint";

type Ctx = () => CommandContext;

// Heavy modules (prettier, the comparer, TypeORM, the runner) load only for the commands
// that need them, so that `--help` loads the argument parser alone and `upgrade` and `current` start fast.
const emitter = () => import("../emit");
const autogenerate = () => import("./autogenerate");
const stateModule = () => import("../runner/state");
type SetExit = (code: number) => void;

const REV_ID_HELP = `Use this revision id instead of a random one (letters, digits, underscores; at most ${MAX_REVISION_ID_LENGTH} characters)`;

function newRevisionId(): string {
  return randomBytes(6).toString("hex");
}

function asArray(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(",")).map((s) => s.trim()).filter(Boolean);
}

/** `--rename` values as given: unlike other lists, an empty one is kept so that it is refused, not ignored. */
function renameArgs(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const values = Array.isArray(value) ? value : [value];
  // `--rename` with nothing after it.
  if (values.length === 0) return [""];
  return values.flatMap((v) => String(v).split(","));
}

/**
 * A target argument as given. Empty or blank is refused by name: an unset
 * shell variable (`retort downgrade "$REV"`) must never mean base.
 */
function targetArg(value: unknown, what: string): string {
  const text = value === undefined || value === null ? "" : String(value);
  if (text.trim() === "") throw new EmptyTargetError(what);
  return text;
}

/** A list of targets (`a,b` or repeated options); any empty entry is refused. */
function targetList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  const raw = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(","));
  return raw.map((entry) => targetArg(entry, what).trim());
}

/** `--rev-id`, checked by the rule the loader applies before anything is written; a random id when absent. */
async function revisionIdArg(value: unknown): Promise<string> {
  if (value === undefined) return newRevisionId();
  const id = String(value);
  (await import("../revisions/graph")).checkRevisionId(id);
  return id;
}

/** The parent(s) of a new revision, following Alembic's `--head` / `--splice` rules. */
function parentFor(graph: RevisionGraph, head: string, splice: boolean): string[] {
  if (head === "base" || graph.size === 0) return [];
  const resolved = resolveUpgradeTarget(graph, [], head);
  if (resolved.length > 1) throw new MultipleHeadsError(head, resolved);
  for (const id of resolved) {
    if (!splice && !graph.heads().includes(id)) {
      throw new UserError(`Revision ${id} is not a head revision; pass --splice to create a new branch from it.`);
    }
  }
  return resolved;
}

const lockTimeoutOption = {
  type: "string",
  describe:
    "Seconds to wait for the migration lock while another deploy holds it (default 300, or retort.lockTimeout / " +
    "RETORT_LOCK_TIMEOUT); after a second a line on stderr names the holder, after the timeout the command exits 2",
} as const;

export function registerCommands(parser: Argv, ctx: Ctx, setExit: SetExit): void {
  parser.command(
    "init",
    "Scaffold the migrations folder and the `retort` options in this project",
    (y) =>
      y
        .option("dir", { type: "string", default: "migrations", describe: "Migrations folder to create" })
        .option("from-typeorm", {
          type: "boolean",
          describe:
            "Adopt a database built by TypeORM migrations: write a baseline revision that builds today's schema from empty, and stamp the database at it",
        })
        .option("rev-id", { type: "string", describe: "With --from-typeorm: the baseline's revision id" })
        .epilogue(
          "--from-typeorm reads TypeORM's migrations table (migrationsTableName) and the config's `migrations` files, refuses while " +
            "any of them is not applied, then writes the baseline and stamps this database at it (nothing runs). See the README.",
        ),
    async (args) => {
      if (args["from-typeorm"]) {
        const { runInitFromTypeorm } = await import("./adopt");
        await runInitFromTypeorm(ctx().withModel(), String(args.dir), await revisionIdArg(args["rev-id"]));
        return;
      }
      await (await import("./init")).runInit(ctx(), String(args.dir));
    },
  );

  parser.command(
    "revision",
    "Create a new revision file (empty, or from the model diff with --autogenerate)",
    (y) =>
      y
        .option("message", { alias: "m", type: "string", demandOption: true, describe: "What the revision does" })
        .option("autogenerate", { type: "boolean", describe: "Compare the entities with the database and write the ops" })
        .option("head", { type: "string", default: "head", describe: "Revision to base the new one on (`base` starts a new root)" })
        .option("splice", { type: "boolean", describe: "Allow --head to name a non-head revision (creates a branch)" })
        .option("rev-id", { type: "string", describe: REV_ID_HELP })
        .option("branch-label", { type: "string", array: true, describe: "Branch label(s) for the new revision" })
        .option("depends-on", { type: "string", array: true, describe: "Revisions or labels this one depends on" })
        .option("safe", {
          type: "boolean",
          describe:
            "With --autogenerate: write ops on existing tables in their non-blocking form (PostgreSQL: CONCURRENTLY, NOT VALID + " +
            "VALIDATE, NOT NULL via a CHECK, transactional = false; MySQL/MariaDB: ALGORITHM/LOCK asserted; SQLite: no change). " +
            "Default retort.safe",
        })
        .option("rename", {
          type: "string",
          array: true,
          describe:
            "With --autogenerate: declare a rename, `table.old=table.new`, `old_table=new_table` or an enum value `enum:old=new`; in a PostgreSQL schema, `schema.table.old=schema.table.new` or `table:schema.old=schema.new`; one that matches no dropped and added table, column or enum value is an error",
        })
        .example('$0 revision -m "add users"', "an empty revision to fill in by hand")
        .example('$0 revision --autogenerate -m "add timezone"', "write the ops that bring the database to the entities")
        .example('$0 revision --autogenerate -m "tz" --rename users.tz=users.timezone', "a rename instead of drop + add")
        .epilogue(
          "Autogenerate never guesses a rename: without --rename it asks on a terminal, and otherwise writes the drop and\n" +
            "the add with a REVIEW comment holding the rename line. Destructive changes carry REVIEW comments too.",
        ),
    async (args) => {
      const c = args.autogenerate ? ctx().withModel() : ctx();
      const rev = await revisionIdArg(args["rev-id"]);
      const head = targetArg(args.head, "--head target");
      const dependsOnArgs = targetList(args["depends-on"], "--depends-on target");
      const config = await c.config();
      const scripts = await c.scripts();
      const graph = scripts.graph;
      if (graph.has(rev)) throw new UserError(`Revision id ${rev} already exists; choose another --rev-id.`);
      const branchLabels = asArray(args["branch-label"]);
      const down = parentFor(graph, head, Boolean(args.splice));
      const dependsOn = dependsOnArgs.map((d) => graph.get(d).revision);
      const spec = {
        revision: rev,
        downRevision: down.length === 0 ? null : down.length === 1 ? down[0] : down,
        message: String(args.message),
        createdAt: new Date(),
        branchLabels: branchLabels.length ? branchLabels : undefined,
        dependsOn: dependsOn.length ? dependsOn : undefined,
      };
      const renames = renameArgs(args.rename);
      if (renames.length > 0 && !args.autogenerate) throw new UserError("--rename only applies with --autogenerate.");
      if (args.safe !== undefined && !args.autogenerate) throw new UserError("--safe only applies with --autogenerate.");
      if (args.autogenerate) {
        await (await autogenerate()).runAutogenerate(c, spec, renames, { safe: args.safe as boolean | undefined });
        return;
      }
      const path = await (await emitter()).writeRevisionFile(config.retort.migrationsDir, config.retort.fileTemplate, spec);
      c.out(`Generating ${relative(c.cwd, path)} ... done`);
    },
  );

  parser.command(
    "merge <revisions..>",
    "Create a merge revision joining two or more revisions (usually `heads`)",
    (y) =>
      y
        .positional("revisions", { type: "string", array: true, describe: "Revisions to merge, or `heads`" })
        .option("message", { alias: "m", type: "string", demandOption: true })
        .option("rev-id", { type: "string", describe: REV_ID_HELP })
        .option("branch-label", { type: "string", array: true }),
    async (args) => {
      const c = ctx();
      const requested = targetList(args.revisions, "revision to merge");
      const rev = await revisionIdArg(args["rev-id"]);
      const config = await c.config();
      const graph = (await c.scripts()).graph;
      const parents = [...new Set(requested.flatMap((r) => resolveUpgradeTarget(graph, [], r)))].sort();
      if (parents.length < 2) {
        throw new UserError(`Nothing to merge: ${parents.length === 1 ? `only ${parents[0]} was named` : "no revisions"}; merge needs two or more.`);
      }
      if (graph.has(rev)) throw new UserError(`Revision id ${rev} already exists; choose another --rev-id.`);
      const labels = asArray(args["branch-label"]);
      const path = await (await emitter()).writeRevisionFile(config.retort.migrationsDir, config.retort.fileTemplate, {
        revision: rev,
        downRevision: parents,
        message: String(args.message),
        createdAt: new Date(),
        branchLabels: labels.length ? labels : undefined,
      });
      c.out(`Generating ${relative(c.cwd, path)} ... done`);
    },
  );

  for (const direction of ["upgrade", "downgrade"] as const) {
    parser.command(
      `${direction} <target>`,
      direction === "upgrade"
        ? "Upgrade the database to a later revision (head, +N, REV, label@head)"
        : "Revert the database to an earlier revision (-N, REV, base)",
      (y) =>
        y
          .positional("target", { type: "string", demandOption: true })
          .option("sql", { type: "boolean", describe: "Print the SQL script instead of running it (target `FROM:TO`)" })
          .option("lock-timeout", lockTimeoutOption)
          .option("statement-lock-timeout", {
            type: "string",
            describe:
              "Milliseconds each statement may wait for a table lock (PostgreSQL lock_timeout; MySQL lock_wait_timeout in whole " +
              "seconds) before it gives up and is retried (default retort.statementLockTimeout, else no limit)",
          })
          .option("lock-retries", {
            type: "string",
            describe: "Retries of a statement whose lock wait ran out, 0.5 s, 1 s, 2 s ... apart (default retort.lockRetries, else 3)",
          })
          .option("ignore-checksums", {
            type: "boolean",
            describe: "Run although applied revision files were edited since they were applied (and resume an edited partly applied revision)",
          })
          .option("dialect", {
            choices: ["postgres", "mysql", "sqlite"] as const,
            describe: "With --sql: write the SQL for this dialect instead of the configured database's (portable revisions render for any)",
          })
          .epilogue(
            "Refuses (exit 2) when an applied revision's file was edited or deleted since it was applied. Where DDL commits by itself " +
              "(MySQL/MariaDB, or `transactional = false`), progress is recorded after each statement: after a failure or a kill, the " +
              "same command resumes the partly applied revision at its next statement when its file is unchanged (see `retort repair`).",
          ),
      async (args) => {
        const c = ctx();
        const target = targetArg(args.target, `${direction} target`);
        if (args.dialect && !args.sql) throw new UserError("--dialect only applies with --sql (a live run uses the database it connects to).");
        const scripts = await c.scripts();
        const graph = scripts.graph;
        if (args.sql) {
          const config = await c.config();
          const dialect = args.dialect ? getDialect(args.dialect) : await c.dialect();
          const { from, to } = parseRange(target, direction);
          const startHeads = from === undefined ? [] : resolveUpgradeTarget(graph, [], from);
          const steps =
            direction === "upgrade" ? graph.planUpgrade(startHeads, to) : graph.planDowngrade(startHeads, to);
          const { offlineScript } = await import("../runner/runner");
          // The configured DataSource's options still choose what its driver would (uuidExtension, naming strategy).
          process.stdout.write(
            await offlineScript(steps, scripts, dialect, config.retort.versionTable, direction === "upgrade" && startHeads.length === 0, config.dataSource.options),
          );
          return;
        }
        const runner = await c.runner(args["lock-timeout"], { timeout: args["statement-lock-timeout"], retries: args["lock-retries"] });
        const count = await runner.migrate(
          (heads) => (direction === "upgrade" ? graph.planUpgrade(heads, target) : graph.planDowngrade(heads, target)),
          { ignoreChecksums: Boolean(args["ignore-checksums"]) },
        );
        if (count === 0) {
          const heads = await runner.currentHeads();
          c.out(`Nothing to ${direction}: the database is at ${heads.join(", ") || "base"}.`);
        }
      },
    );
  }

  parser.command(
    "stamp <target>",
    "Set the version table to a revision without running migrations (re-records the applied revisions' checksums)",
    (y) =>
      y
        .positional("target", { type: "string", demandOption: true })
        .option("purge", { type: "boolean", describe: "Empty the version table first (for a broken or unknown state)" })
        .option("sql", { type: "boolean", describe: "Print the SQL instead of running it" })
        .option("lock-timeout", lockTimeoutOption),
    async (args) => {
      const c = ctx();
      const target = targetArg(args.target, "stamp target");
      const graph = (await c.scripts()).graph;
      if (args.sql) {
        const config = await c.config();
        const { VersionTable } = await import("../runner/version-table");
        const table = new VersionTable(await c.dialect(), config.retort.versionTable);
        const after = graph.planStamp([], target, { purge: true });
        process.stdout.write(`${[table.createSql(), ...table.transitionSql([], after)].map((s) => `${s};`).join("\n")}\n`);
        return;
      }
      const runner = await c.runner(args["lock-timeout"]);
      const { before, after } = await runner.stamp((heads) => graph.planStamp(args.purge ? [] : heads, target, { purge: Boolean(args.purge) }));
      c.out(`Stamped ${before.join(", ") || "base"} -> ${after.join(", ") || "base"}`);
    },
  );

  parser.command(
    "repair",
    "Flyway's repair: record how a partly applied revision ended, or re-record the checksums of edited applied files",
    (y) =>
      y
        .option("completed", { type: "boolean", describe: "The partly applied revision was finished by hand: record it as applied" })
        .option("rolled-back", { type: "boolean", describe: "Its committed statements were undone by hand: record it as not applied" })
        .conflicts("completed", "rolled-back")
        .example("$0 repair --rolled-back", "after undoing by hand what a failed MySQL revision committed")
        .example("$0 repair", "accept applied revision files as they are now (re-records their checksums)")
        .epilogue(
          "A revision that fails or is killed half-way on MySQL/MariaDB (DDL commits by itself) is recorded as partly applied; " +
            "`retort current` shows which statements are committed. Either run the same `retort upgrade` again to resume it, or " +
            "finish or undo it by hand and tell retort with --completed or --rolled-back. Without a partly applied revision, " +
            "`repair` re-records the checksums of applied revisions whose file was edited, and forgets those whose file is gone.",
        ),
    async (args) => {
      const c = ctx();
      const resolution = args.completed ? "completed" : args["rolled-back"] ? "rolled-back" : undefined;
      c.out(await (await c.runner()).repair(resolution));
    },
  );

  parser.command(
    "current",
    "Show the revision(s) the database is at, a partly applied revision, and applied files edited since",
    (y) => y,
    async (args) => {
      const c = ctx();
      const graph = (await c.scripts()).graph;
      const state = await (await c.runner()).state();
      const { heads, inFlight } = state;
      const changed = new Set(state.changed.map((x) => x.revision));
      if (args.json) {
        c.out(
          JSON.stringify({
            heads: heads.map((id) => ({ revision: id, isHead: graph.heads().includes(id), known: graph.has(id) })),
            inFlight: inFlight && { revision: inFlight.revision, direction: inFlight.direction, statementsCommitted: inFlight.progress.statements, lastStatement: inFlight.progress.last ?? null, fileChanged: inFlight.fileChanged },
            changed: state.changed,
            missing: state.missing,
          }),
        );
        return;
      }
      if (heads.length === 0) c.out("(base: no revision applied)");
      for (const id of heads) {
        if (!graph.has(id)) {
          c.out(`${id} (unknown: no revision file has this id)`);
          continue;
        }
        const node = graph.get(id);
        c.out(args.verbose ? describeRevision(graph, node) : historyLine(graph, node, new Set(heads)));
      }
      if (inFlight) {
        const { describeInFlight, inFlightRemedy } = await stateModule();
        c.out(`PARTLY APPLIED: ${describeInFlight(inFlight)}; ${inFlightRemedy(inFlight)}.`);
      }
      for (const id of changed) c.out(`CHANGED: applied revision ${id} (${relative(c.cwd, graph.get(id).path ?? "")}) was edited after it was applied.`);
      for (const id of state.missing) c.out(`MISSING: applied revision ${id} has no file any more.`);
    },
  );

  parser.command(
    "history",
    "List revisions, newest first",
    (y) =>
      y
        .option("rev-range", { alias: "r", type: "string", describe: "Range `a:b`, `a:`, `:b` (`current` allowed)" })
        .option("indicate-current", {
          alias: "i",
          type: "boolean",
          describe: "Mark the revision(s) the database is at, a partly applied one, and applied files edited since",
        }),
    async (args) => {
      const c = ctx();
      let range = args["rev-range"] === undefined ? undefined : targetArg(args["rev-range"], "-r/--rev-range");
      const graph = (await c.scripts()).graph;
      let current = new Set<string>();
      let state: VersionState | undefined;
      if (args["indicate-current"] || range?.includes("current")) {
        state = await (await c.runner()).state();
        const heads = state.heads;
        current = new Set(heads);
        if (range?.includes("current")) {
          if (heads.length !== 1) throw new UserError(`"current" is ambiguous: the database is at ${heads.join(", ") || "base"}.`);
          range = range.replace("current", heads[0]);
        }
      }
      const nodes = graph.history(range);
      const notes = new Map<string, string>();
      for (const x of state?.changed ?? []) notes.set(x.revision, "edited after it was applied");
      if (state?.inFlight) {
        const { describeInFlight } = await stateModule();
        notes.set(state.inFlight.revision, describeInFlight(state.inFlight).replace(/^revision \S+ is /, ""));
      }
      if (args.json) {
        c.out(
          JSON.stringify(
            nodes.map((n) => ({ ...n, isHead: graph.heads().includes(n.revision), current: current.has(n.revision), note: notes.get(n.revision) ?? null })),
          ),
        );
        return;
      }
      for (const node of nodes) {
        const note = notes.has(node.revision) ? ` [${notes.get(node.revision)}]` : "";
        c.out(args.verbose ? `${describeRevision(graph, node, current)}${note}\n` : `${historyLine(graph, node, current)}${note}`);
      }
      for (const id of state?.missing ?? []) c.out(`MISSING: applied revision ${id} has no file any more.`);
    },
  );

  parser.command(
    "heads",
    "Show the head revisions of the migrations folder",
    (y) => y,
    async (args) => {
      const c = ctx();
      const graph = (await c.scripts()).graph;
      const heads = graph.heads().map((id) => graph.get(id));
      if (args.json) return c.out(JSON.stringify(heads));
      for (const node of heads) c.out(args.verbose ? describeRevision(graph, node) : historyLine(graph, node));
    },
  );

  parser.command(
    "branches",
    "Show branch points",
    (y) => y,
    async (args) => {
      const c = ctx();
      const graph = (await c.scripts()).graph;
      const points = graph.branchPoints().map((id) => graph.get(id));
      if (args.json) return c.out(JSON.stringify(points.map((p) => ({ ...p, children: graph.children(p.revision, { dependencies: false }) }))));
      for (const node of points) {
        c.out(args.verbose ? describeRevision(graph, node) : historyLine(graph, node));
        for (const child of graph.children(node.revision, { dependencies: false })) {
          c.out(`    -> ${historyLine(graph, graph.get(child))}`);
        }
      }
    },
  );

  parser.command(
    "show <rev>",
    "Show one revision",
    (y) => y.positional("rev", { type: "string", demandOption: true }),
    async (args) => {
      const c = ctx();
      const rev = targetArg(args.rev, "revision to show");
      const graph = (await c.scripts()).graph;
      const ids = resolveUpgradeTarget(graph, [], rev);
      for (const id of ids) {
        const node = graph.get(id);
        if (args.json) c.out(JSON.stringify(node));
        else c.out(describeRevision(graph, node));
      }
    },
  );

  parser.command(
    "check",
    "Exit 1 when the entities and the database differ (a model change without a migration), 0 when in sync",
    (y) =>
      y
        .example("$0 check", "in CI, after `retort upgrade head` on a scratch database")
        .example("$0 check --json", "the differences as data: { inSync, changes, findings }")
        .example("$0 check --fresh", "in CI without a migrated database: build a scratch database from the revisions, compare, drop it")
        .option("ignore-checksums", { type: "boolean", describe: "Compare although applied revision files were edited since they were applied" })
        .option("fresh", {
          type: "boolean",
          describe: "Build a scratch database from the revisions (beside the configured one, as `retort test` does; a temporary file for SQLite), compare the entities with it, drop it",
        })
        .option("dev-url", { type: "string", describe: "As --fresh, with the scratch database made on this server (a DATABASE_URL)" })
        .epilogue(
          "Exit codes: 0 in sync, 1 drift (each difference listed), 2 error (also: database not at head, revision files " +
            "forking into unmerged heads (join them with `retort merge heads`), or an applied revision file edited or " +
            "deleted since it was applied: the file is named). The entities' model is kept in the model cache and read " +
            "back while nothing it was built from changed (--verbose says which; RETORT_NO_MODEL_CACHE=1 turns it off); " +
            "the database is read every time.",
        ),
    async (args) => {
      if (args["dev-url"] !== undefined) {
        if (String(args["dev-url"]).trim() === "") throw new UserError("--dev-url is empty; give a database URL such as postgresql://user@host:5432/postgres.");
        process.env.DATABASE_URL = String(args["dev-url"]);
      }
      if (args.fresh || args["dev-url"] !== undefined) {
        setExit(await (await import("./scratch-context")).runFreshCheck(ctx().withModel(), Boolean(args.json)));
        return;
      }
      setExit(await (await autogenerate()).runCheck(ctx().withModel(), Boolean(args.json), Boolean(args["ignore-checksums"])));
    },
  );

  registerLint(parser, ctx, setExit);

  parser.command(
    "test",
    "Test the revisions on a scratch database it creates and drops: one head, upgrade, entities match, each revision's downgrade undoes it",
    (y) =>
      y
        .example("$0 test", "in CI: a database beside the configured one (a temporary file for SQLite), dropped afterwards")
        .example("$0 test --junit retort-test.xml", "also write the results as JUnit XML for the CI's test report")
        .option("url", { type: "string", describe: "The server to make the scratch database on (a DATABASE_URL); default the configured connection" })
        .option("junit", { type: "string", describe: "Write the results as JUnit XML to this file" })
        .option("data", {
          type: "boolean",
          describe: "Insert a generated row into every table before each stairway step; a step that drops no table and loses rows fails",
        })
        .epilogue(
          "Checks, one line each: a single head; upgrade base -> heads; the entities match the migrated schema (as `check`); " +
            "downgrade base leaves no table or enum; then the stairway: for each revision in order, upgrade, downgrade and upgrade " +
            "again must give the schema before and after it exactly (a difference names the revision and what differs). " +
            "Exit codes: 0 all passed, 1 a check failed, 2 error (no scratch database could be created: the user needs CREATE DATABASE).",
        ),
    async (args) => {
      if (args.url !== undefined) {
        if (String(args.url).trim() === "") throw new UserError("--url is empty; give a database URL such as postgresql://user@host:5432/postgres.");
        process.env.DATABASE_URL = String(args.url);
      }
      const junit = args.junit === undefined ? undefined : String(args.junit);
      if (junit !== undefined && junit.trim() === "") throw new UserError("--junit is empty; give the file to write the JUnit XML to.");
      setExit(await (await import("./test-command")).runTest(ctx().withModel(), junit, Boolean(args.data)));
    },
  );

  parser.command(
    "test-connection",
    "Connect and print the dialect, server version and database",
    (y) => y,
    async (args) => {
      const c = ctx();
      const conn = await c.bareConnection();
      const info = await (await import("../dialects/server-info")).serverInfo(conn.dialect, conn.db);
      if (args.json) c.out(JSON.stringify({ dialect: conn.dialect, ...info }));
      else c.out(`Connected: ${conn.dialect}, ${info.version}, database ${info.database}`);
    },
  );
}

