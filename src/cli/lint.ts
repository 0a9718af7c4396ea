/**
 * `retort lint [REV|RANGE|FILE ...] [--json]`: what each op of the named
 * revisions locks, rewrites or scans on the configured server, and what data
 * it risks. Registered from commands.ts; the analysis loads on first use.
 */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { Argv } from "yargs";
import { UserError } from "../errors";
import type { CommandContext } from "./context";

type Ctx = () => CommandContext;
type SetExit = (code: number) => void;

const FAMILIES = ["postgres", "mysql", "mariadb", "sqlite"] as const;
type Family = (typeof FAMILIES)[number];

export function registerLint(parser: Argv, ctx: Ctx, setExit: SetExit): void {
  parser.command(
    "lint [revisions..]",
    "Show what each op of a revision locks, rewrites or scans on the server, and what data it risks (exit 1 on errors)",
    (y) =>
      y
        .positional("revisions", { type: "string", array: true, describe: "Revisions: an id or prefix, a range `a:b`, or a revision file's path" })
        .option("dialect", {
          choices: FAMILIES,
          describe: "Lint for this server family without connecting (sizes unknown); default: the configured database",
        })
        .option("server-version", { type: "string", describe: "With --dialect: the server version to lint for, e.g. 8.0.35 or 10.11 (default: the oldest retort supports)" })
        .example("$0 lint", "the revisions `upgrade head` would run on the configured database (every revision when it is unreachable)")
        .example("$0 lint migrations/3f2a9c1b7d4e_add_tz.ts --json", "one file, as data")
        .example("$0 lint base:head --dialect postgres", "every revision, for PostgreSQL, without a database")
        .epilogue(
          "Each upgrade and downgrade runs against a recording `op` (nothing is written); notes on a downgrade say so. Rules: table-rewrite, blocking-scan (error from " +
            "1,000,000 rows, info on an empty table, warning when the size is unknown), online-scan and transaction-rule (info), " +
            "no-transaction (error: CONCURRENTLY in a transactional revision), drop-table, drop-column and narrowing (error), " +
            "rename (warning), raw-sql (info); in a downgrade, drop-table and drop-column are info and narrowing a warning (it undoes its upgrade). " +
            "Ops on a table created earlier in the same body are exempt. Silence a rule for one op " +
            "with `// retort-lint-ignore <rule> [<rule>...]` on the line(s) right above its call. " +
            "Exit codes: 0 no errors, 1 errors found, 2 bad input (unknown revision, unloadable file).",
        ),
    async (args) => {
      const dialect = args.dialect as Family | undefined;
      const serverVersion = args["server-version"] === undefined ? undefined : String(args["server-version"]);
      if (serverVersion !== undefined && !dialect) throw new UserError("--server-version only applies with --dialect (a connected lint reads the server's own version).");
      setExit(await runLint(ctx(), (args.revisions as string[] | undefined) ?? [], dialect, serverVersion));
    },
  );
}

/** The revisions named on the command line, oldest first; `undefined` when none were named. */
async function selectRevisions(context: CommandContext, specs: readonly string[]) {
  const scripts = await context.scripts();
  const graph = scripts.graph;
  const ids: string[] = [];
  for (const spec of specs) {
    if (spec.trim() === "") throw new UserError("An empty revision was given to lint; name a revision, a range a:b or a revision file.");
    const path = resolve(context.cwd, spec);
    if (/\.(ts|js|mts|cts)$/.test(spec) && existsSync(path)) {
      const match = [...scripts.revisions.values()].find((r) => resolve(r.path) === path);
      if (!match) throw new UserError(`${spec} is not a revision file of ${relative(context.cwd, scripts.dir) || "."}.`);
      ids.push(match.revision);
    } else if (spec.includes(":")) {
      ids.push(...graph.history(spec).map((n) => n.revision).reverse());
    } else {
      const { resolveUpgradeTarget } = await import("../revisions/targets");
      ids.push(...resolveUpgradeTarget(graph, [], spec));
    }
  }
  return [...new Set(ids)].map((id) => scripts.get(id));
}

export async function runLint(context: CommandContext, specs: readonly string[], family: Family | undefined, serverVersion: string | undefined): Promise<number> {
  const [{ getDialect }, { parseServerVersion }, { lintRevision, countFindings }] = await Promise.all([
    import("../dialects"),
    import("../dialects/cost"),
    import("../lint/lint"),
  ]);
  const scripts = await context.scripts();
  let revisions = specs.length > 0 ? await selectRevisions(context, specs) : undefined;
  let sizesNote: string | undefined;
  let db: import("../dialects/dialect").Queryable | undefined;
  let driver: import("../dialects/dialect").PortableDriverOptions | undefined;
  let dialect;
  let server;
  if (family) {
    dialect = getDialect(family === "mariadb" ? "mysql" : family);
    server = serverVersion
      ? parseServerVersion(serverVersion, family === "postgres" ? "postgresql" : family)
      : { ...dialect.assumedServer, ...(family === "mariadb" ? { ...parseServerVersion("10.5", "mariadb"), assumed: true } : {}) };
    if (family === "mariadb") {
      server = { ...server, family: "mariadb" as const, text: server.text.replace(/^MySQL/, "MariaDB") };
      driver = { type: "mariadb" };
    }
    sizesNote = `table sizes unknown: linted for ${server.text}${server.assumed ? " (assumed)" : ""} without a database`;
  } else {
    dialect = await context.dialect();
    try {
      const connection = await context.bareConnection();
      const { serverInfo } = await import("../dialects/server-info");
      db = connection.db;
      driver = connection.dataSource.options;
      server = parseServerVersion((await serverInfo(connection.dialect, connection.db)).version, dialect.assumedServer.family);
      if (!revisions) {
        const heads = await (await context.runner()).currentHeads();
        revisions = scripts.graph.planUpgrade(heads, "heads").map((step) => scripts.get(step.revision.revision));
      }
    } catch (error) {
      const { ConnectionError } = await import("../errors");
      if (!(error instanceof ConnectionError)) throw error;
      server = dialect.assumedServer;
      sizesNote = `table sizes unknown: ${error.message.replace(/\.$/, "")}; linted for ${server.text} (assumed)`;
    }
  }
  revisions ??= scripts.graph.history().map((n) => scripts.get(n.revision)).reverse();
  const resolver = await dialect.portableResolver(db, driver);
  const linted = [];
  for (const revision of revisions) linted.push(await lintRevision(revision, { dialect, server, db, resolver }));
  const counts = countFindings(linted);
  const file = (path: string) => relative(context.cwd, path) || path;
  if (context.args.json) {
    context.out(
      JSON.stringify(
        {
          dialect: dialect.name,
          server,
          sizes: db ? "live" : "unknown",
          sizesNote: sizesNote ?? null,
          revisions: linted.map((r) => ({
            revision: r.revision,
            file: file(r.file),
            notes: r.notes,
            ops: r.ops.map((o) => ({
              call: o.call,
              kind: o.kind,
              direction: o.direction,
              line: o.line ?? null,
              table: o.assessment.cost.table ?? null,
              rows: o.assessment.rows ?? null,
              newTable: o.assessment.newTable,
              cost: o.assessment.cost,
              findings: o.findings,
            })),
          })),
          summary: counts,
        },
        null,
        2,
      ),
    );
  } else {
    context.out(`Linting ${linted.length} revision${linted.length === 1 ? "" : "s"} for ${server.text}${db ? " (table sizes from the database)" : ""}.`);
    if (sizesNote) context.out(`NOTE ${sizesNote}.`);
    for (const r of linted) {
      for (const note of r.notes) context.out(`NOTE ${file(r.file)}: ${note}.`);
      for (const o of r.ops) {
        for (const f of o.findings) {
          if (f.suppressed && !context.args.verbose) continue;
          const where = `${file(r.file)}${o.line === undefined ? "" : `:${o.line}`}`;
          context.out(`${where}: ${f.suppressed ? "suppressed " : ""}${f.severity} [${f.rule}] ${o.direction === "downgrade" ? "downgrade " : ""}${o.call}: ${f.message}`);
        }
      }
    }
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    context.out(`${plural(counts.error, "error")}, ${plural(counts.warning, "warning")}, ${counts.info} info${counts.suppressed ? `, ${counts.suppressed} suppressed` : ""}.`);
  }
  return counts.error > 0 ? 1 : 0;
}
