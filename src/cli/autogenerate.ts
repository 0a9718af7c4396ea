import { relative, resolve } from "node:path";
import { diffDatabaseWithModel, globalNotes, needsNoTransaction, startCatalogRead } from "../autogenerate";

export { globalNotes };
import type { Diff, RenameCandidate, RenameResolver } from "../compare/types";
import { warmFormatter, writeRevisionFile } from "../emit";
import type { RevisionFileSpec } from "../emit";
import { UserError } from "../errors";
import { unmatchedEntityGlobs } from "../runner/entity-lookups";
import type { CommandContext } from "./context";
import { runPostWriteHooks } from "./post-write";
import { checksumProblem } from "../runner/state";
import { previewImpact, withImpact, type ImpactCount } from "../impact";
import { UnmergedHeadsError } from "../revisions/errors";
import { appliedRevisions } from "../runner/stated";

export class DatabaseNotUpToDateError extends UserError {
  constructor(readonly pending: number) {
    super(
      `Target database is not up to date: ${pending} revision${pending === 1 ? "" : "s"} pending — run \`retort upgrade head\` first.`,
    );
  }
}

/**
 * `--rename users.tz=users.timezone` or `--rename old_table=new_table`. A
 * table in a non-default schema is written as the model writes it: its
 * columns `billing.invoice.old=billing.invoice.new`, and the table itself
 * `table:billing.old=billing.new`, since `billing.old=billing.new` already
 * means a column of table "billing". Every value must be well formed and name
 * each old and each new name once: a rename that cannot apply is refused
 * rather than dropped, because without it the file drops the column and adds
 * an empty one.
 */
export function parseRenames(specs: string[]): RenameCandidate[] {
  const forms = "table.old=table.new, old_table=new_table, table:schema.old=schema.new or enum:old=new";
  const renames = specs.map((spec) => {
    const value = /^enum:([^=]*)=([^=]*)$/.exec(spec.trim());
    if (value) {
      if (value[1] === "" || value[2] === "") throw new UserError(`--rename ${JSON.stringify(spec)} has an empty value; write enum:old=new.`);
      return { kind: "enumValue" as const, from: value[1], to: value[2] };
    }
    const prefixed = /^\s*table:/.exec(spec);
    const match = /^([^=]+)=([^=]+)$/.exec(spec.slice(prefixed ? prefixed[0].length : 0).trim());
    if (!match) throw new UserError(`--rename ${JSON.stringify(spec)} is not of the form ${forms}.`);
    const [fromParts, toParts] = [match[1], match[2]].map((side) => side.split(".").map((part) => part.trim()));
    if (fromParts.some((part) => part === "") || toParts.some((part) => part === "")) {
      throw new UserError(`--rename ${JSON.stringify(spec)} has an empty name; write ${forms}.`);
    }
    if (prefixed) {
      if (fromParts.length > 2 || fromParts.length !== toParts.length || (fromParts.length === 2 && fromParts[0] !== toParts[0])) {
        throw new UserError(`--rename ${JSON.stringify(spec)} must name two tables of one schema (table:schema.old=schema.new or table:old=new).`);
      }
      return { kind: "table" as const, from: fromParts.join("."), to: toParts.join(".") };
    }
    if (fromParts.length === 1 && toParts.length === 1) return { kind: "table" as const, from: fromParts[0], to: toParts[0] };
    const table = fromParts.slice(0, -1).join(".");
    if (fromParts.length <= 3 && fromParts.length === toParts.length && table === toParts.slice(0, -1).join(".")) {
      return { kind: "column" as const, table, from: fromParts[fromParts.length - 1], to: toParts[toParts.length - 1] };
    }
    throw new UserError(`--rename ${JSON.stringify(spec)} must name the same table on both sides (table.old=table.new or schema.table.old=schema.table.new).`);
  });
  const seen = new Set<string>();
  renames.forEach((r, i) => {
    const qualify = (name: string) => (r.kind === "column" ? `${r.table}.${name}` : name);
    for (const [side, name] of [["old", qualify(r.from)], ["new", qualify(r.to)]]) {
      const key = `${r.kind} ${side} ${name}`;
      if (seen.has(key)) throw new UserError(`--rename ${JSON.stringify(specs[i])} names the ${side} ${r.kind === "enumValue" ? "enum value" : r.kind} "${name}" a second time; give each name once.`);
      seen.add(key);
    }
  });
  return renames;
}

function sameCandidate(a: RenameCandidate, b: RenameCandidate): boolean {
  return a.kind === b.kind && a.from === b.from && a.to === b.to && (a.kind !== "column" || a.table === b.table);
}

function describeCandidate(c: RenameCandidate): string {
  if (c.kind === "enumValue") return `the enum value '${c.from}' of ${c.table} to '${c.to}'`;
  return c.kind === "table" ? `table ${c.from} to ${c.to}` : `${c.table}.${c.from} to ${c.table}.${c.to}`;
}

/**
 * Renames come from --rename first; otherwise, when a person is at the
 * terminal, we ask; in CI (no TTY) we never guess: the comparer writes the
 * drop + add with a REVIEW comment.
 */
function renameResolver(declared: RenameCandidate[], interactive: boolean): RenameResolver {
  return async (candidate) => {
    if (declared.some((d) => sameCandidate(d, candidate))) return true;
    if (!interactive) return false;
    const { confirm } = await import("@inquirer/prompts");
    return confirm({ message: `Did you rename ${describeCandidate(candidate)}?`, default: false });
  };
}

/** Introspects, reads the models and compares; refuses when the database is behind head. */
export async function computeDiff(
  context: CommandContext,
  resolveRename: RenameResolver,
  declaredRenames: readonly RenameCandidate[] = [],
  portable = false,
  safe = false,
): Promise<Diff> {
  const config = await context.config();
  const scripts = await context.scripts();
  const runner = await context.runner();
  const heads = await runner.currentHeads();
  const pending = scripts.graph.planUpgrade(heads, "heads").length;
  if (pending > 0) throw new DatabaseNotUpToDateError(pending);
  const dialect = await context.dialect();
  // After the version table's reads (they decide whether to compare at all), before the
  // entities load: the server answers the catalog queries while this process builds the model.
  const early = startCatalogRead(await context.bareConnection(), dialect);
  try {
    const model = await context.declaredModel();
    const connection = await context.bareConnection();
    for (const glob of unmatchedEntityGlobs(config.options)) {
      process.stderr.write(`WARNING: the entities glob ${glob} in ${relative(context.cwd, config.path) || config.path} matches no file.\n`);
    }
    return await diffDatabaseWithModel(model, connection, dialect, {
      includeTable: (name) => config.isManagedTable(name),
      foreignTables: config.typeormTables,
      resolveRename,
      declaredRenames,
      portable,
      safe,
      applied: () => appliedRevisions(scripts, heads),
      early,
    });
  } catch (error) {
    // What failed first is reported (an entity that does not load, say); the read ends before the connection closes under it.
    await early?.snapshot.catch(() => undefined);
    throw error;
  }
}

function printDiff(context: CommandContext, diff: Diff): void {
  const verbose = Boolean(context.args.verbose);
  for (const step of diff.upgrade) {
    context.out(`${step.destructive ? "WARNING " : ""}${step.detected}`);
    if (verbose) for (const reason of step.reasons) context.out(`    because ${reason}`);
  }
  for (const finding of diff.findings) context.out(`REVIEW ${finding.message}`);
  for (const step of diff.upgrade) if (step.note) context.out(`NOTE ${step.note}`);
}

export interface AutogenerateOptions {
  /** `--safe` / `--no-safe`; undefined: `retort.safe` in the config. */
  safe?: boolean;
}

export async function runAutogenerate(
  context: CommandContext,
  spec: Omit<RevisionFileSpec, "upgrade" | "downgrade">,
  renames: string[],
  options: AutogenerateOptions = {},
): Promise<void> {
  const declared = parseRenames(renames);
  const config = await context.config();
  // Prettier loads in its thread while this one loads entities and introspects.
  warmFormatter(resolve(config.retort.migrationsDir, "revision.ts"));
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const safe = options.safe ?? config.retort.safe === true;
  const computed = await computeDiff(context, renameResolver(declared, interactive), declared, true, safe);
  const transactional = !needsNoTransaction(computed.upgrade, computed);
  const noted = await withCostNotesOf(context, computed, transactional);
  const { counts, diff } = await impactOf(context, noted);
  const json = Boolean(context.args.json);
  if (!json) printDiff(context, diff);
  if (diff.upgrade.length === 0) {
    if (json) context.out(JSON.stringify({ file: null, changes: [], findings: diff.findings, impact: [] }, null, 2));
    else context.out("No changes detected");
    return;
  }
  const path = await writeRevisionFile(config.retort.migrationsDir, config.retort.fileTemplate, {
    ...spec,
    ...(transactional ? {} : { transactional: false }),
    upgrade: diff.upgrade,
    downgrade: diff.downgrade,
    notes: globalNotes(diff),
  });
  await runPostWriteHooks(config.retort.postWrite ?? [], path, context.cwd);
  if (json) {
    const changes = diff.upgrade.map((s) => ({ ...changeJson(s), review: s.review ?? [] }));
    context.out(JSON.stringify({ file: relative(context.cwd, path), changes, findings: diff.findings, impact: counts }, null, 2));
    return;
  }
  context.out(`Generating ${relative(context.cwd, path)} ... done`);
}

/** A change as `--json` prints it: the lint note (what it locks or rewrites on the live table) when there is one. */
function changeJson(s: Diff["upgrade"][number]) {
  return { detected: s.detected, op: s.op, reasons: s.reasons, destructive: Boolean(s.destructive), ...(s.note ? { note: s.note } : {}) };
}

/** The diff with `lint` cost notes on the steps that rewrite or scan an existing table holding rows. */
async function withCostNotesOf(context: CommandContext, diff: Diff, transactional = !needsNoTransaction(diff.upgrade, diff)): Promise<Diff> {
  const connection = await context.bareConnection();
  const { withCostNotes } = await import("../lint/notes");
  return { ...diff, upgrade: await withCostNotes(diff.upgrade, await context.dialect(), connection.db, connection.dataSource.options, transactional) };
}

/** The impact preview's counts and the diff carrying them (nothing when `retort.impact` is false). */
async function impactOf(context: CommandContext, diff: Diff): Promise<{ counts: ImpactCount[]; diff: Diff }> {
  const setting = (await context.config()).retort.impact;
  if (setting === false || diff.upgrade.length === 0) return { counts: [], diff };
  const connection = await context.bareConnection();
  const dialect = await context.dialect();
  const portable = await dialect.portableResolver(connection.db, connection.dataSource.options);
  const counts = await previewImpact(diff, dialect, connection.db, portable, setting ?? {});
  return { counts, diff: withImpact(diff, counts) };
}

/** `retort check`: 0 in sync, 1 drift (each difference listed), 2 error. */
export async function runCheck(context: CommandContext, json: boolean, ignoreChecksums = false): Promise<number> {
  // With forked heads the database may sit at both and still miss what a merge would decide; CI must not pass.
  const unmerged = (await context.scripts()).graph.unmergedHeads();
  if (unmerged.length > 0) throw new UnmergedHeadsError(unmerged);
  const problem = checksumProblem(await (await context.runner()).state());
  if (problem && !ignoreChecksums) throw new UserError(`The history of this database cannot be trusted: ${problem}.`);
  const computed = await computeDiff(context, () => false);
  const drift = computed.upgrade.length > 0;
  // What each change would lock or rewrite on the live tables, for a pipeline that reads the JSON; the text output stays a list.
  const diff = json && drift ? await withCostNotesOf(context, computed) : computed;
  if (json) {
    context.out(
      JSON.stringify(
        {
          inSync: !drift,
          changes: diff.upgrade.map(changeJson),
          findings: diff.findings,
        },
        null,
        2,
      ),
    );
  } else if (drift) {
    context.out(`The database and the entities differ (${diff.upgrade.length} change${diff.upgrade.length === 1 ? "" : "s"}); write a migration with \`retort revision --autogenerate -m "..."\`:`);
    printDiff(context, diff);
  } else {
    for (const finding of diff.findings) context.out(`REVIEW ${finding.message}`);
    context.out("No changes detected: the database matches the entities.");
  }
  return drift ? 1 : 0;
}
