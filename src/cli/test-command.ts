/**
 * `retort test`: pytest-alembic's checks on a scratch database retort creates
 * and drops itself — one head, upgrade to head, the entities match the
 * migrated schema, every revision's upgrade -> downgrade -> upgrade leaves
 * the same schema (the stairway), and downgrade base leaves nothing.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { compare } from "../compare";
import type { Step } from "../revisions/plan";
import { modelNamespaces } from "../model";
import type { Schema } from "../schema/types";
import { computeDiff } from "./autogenerate";
import type { CommandContext } from "./context";
import { openScratch } from "./scratch-context";
import { recordBody } from "../runner/dry-run";
import { insertSampleRows, lostRows, rowCounts, tablesLosingRowsByDesign } from "./sample-data";

interface Outcome {
  name: string;
  failure?: string[];
}

const sameHeads = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** How `after` differs from `before`, as the comparer words it ("Detected added column 'users.tz'"). */
async function differences(context: CommandContext, before: Schema, after: Schema): Promise<string[]> {
  const diff = await compare(before, after, { dialect: (await context.dialect()).comparer, resolveRename: () => false });
  return diff.upgrade.map((s) => s.detected);
}

function junitXml(outcomes: readonly Outcome[]): string {
  const esc = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const failures = outcomes.filter((o) => o.failure).length;
  const cases = outcomes.map((o) => {
    const open = `    <testcase classname="retort.test" name="${esc(o.name)}"`;
    if (!o.failure) return `${open}/>`;
    return `${open}>\n      <failure message="${esc(o.failure.join(" "))}">${esc(o.failure.join("\n"))}</failure>\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites tests="${outcomes.length}" failures="${failures}">`,
    `  <testsuite name="retort test" tests="${outcomes.length}" failures="${failures}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    ``,
  ].join("\n");
}

/** Runs the checks; 0 when all pass, 1 when one fails. */
export async function runTest(context: CommandContext, junit?: string, data = false): Promise<number> {
  const config = await context.config();
  const scripts = await context.scripts();
  const dialect = await context.dialect();
  const graph = scripts.graph;
  const outcomes: Outcome[] = [];
  const record = (name: string, failure?: string[]) => {
    outcomes.push(failure && failure.length > 0 ? { name, failure } : { name });
    context.out(`${failure && failure.length > 0 ? "FAIL" : "ok  "} ${name}`);
    for (const line of failure ?? []) context.out(`     ${line}`);
  };

  // As in `check`: deliberate branches (each side labelled) may keep their own heads.
  const unmerged = graph.unmergedHeads();
  record(
    "single head",
    unmerged.length > 0 ? [`${unmerged.length} unmerged heads (${unmerged.join(", ")}); join them with \`retort merge heads\``] : undefined,
  );

  const { scratch, local } = await openScratch(context);
  context.out(`On the scratch ${scratch.describe} (dropped afterwards):`);
  try {
    const runner = await local.runner();
    const connection = await local.connection();
    const namespaces = modelNamespaces(connection.dataSource);
    const snapshot = () => dialect.introspect(connection.db, { includeTable: (table) => config.isManagedTable(table), namespaces });
    const attempt = async (name: string, fn: () => Promise<string[] | undefined>): Promise<boolean> => {
      try {
        const failure = await fn();
        record(name, failure);
        return !failure || failure.length === 0;
      } catch (error) {
        record(name, [(error instanceof Error ? error.message : String(error)).split("\n")[0]!]);
        return false;
      }
    };

    const upgraded = await attempt("upgrade base -> heads", async () => {
      await runner.migrate((current) => graph.planUpgrade(current, "heads"));
      return undefined;
    });
    if (upgraded) {
      await attempt("entities match the migrated schema", async () => {
        const diff = await computeDiff(local, () => false);
        return diff.upgrade.length > 0 ? [...diff.upgrade.map((s) => s.detected), "write a migration with `retort revision --autogenerate`"] : undefined;
      });
    }
    const downgraded = await attempt("downgrade base leaves nothing", async () => {
      await runner.migrate((current) => graph.planDowngrade(current, "base"));
      const left = await snapshot();
      const names = [
        ...left.tables.map((t) => `table ${t.name}`),
        ...(left.views ?? []).map((v) => `view ${v.name}`),
        ...left.enums.map((e) => `enum ${e.name}`),
      ];
      return names.length > 0 ? [`left behind: ${names.join(", ")}`] : undefined;
    });
    if (!downgraded) return finish();

    // --data: a generated row in every table before each step; a step that drops no table must keep them.
    let sample = 0;
    const sampleRowsBefore = async (before: Schema) => {
      for (const note of await insertSampleRows(connection.db, dialect, before, ++sample)) context.out(`     data: ${note}`);
      return rowCounts(connection.db, dialect, before.tables.map((t) => t.name));
    };
    const rowsLost = async (counts: Map<string, number>, after: Schema, revision: string) => {
      const body = await recordBody(scripts.get(revision), "up", dialect.name);
      const now = await rowCounts(connection.db, dialect, after.tables.map((t) => t.name));
      return lostRows(counts, now, tablesLosingRowsByDesign(body.ops.map((o) => o.op)));
    };

    // The stairway: each revision, in upgrade order, up, down and up again, one step at a time.
    for (const step of graph.planUpgrade([], "heads")) {
      const rev = step.revision;
      const down: Step = { revision: rev, direction: "down", headsBefore: step.headsAfter, headsAfter: step.headsBefore };
      const only = (from: readonly string[], s: Step) => (current: string[]) => (sameHeads(current, from) ? [s] : []);
      const title = rev.doc?.trim().split("\n")[0];
      const ok = await attempt(`stairway ${rev.revision}${title ? ` (${title})` : ""}`, async () => {
        const before = await snapshot();
        const rows = data ? await sampleRowsBefore(before) : undefined;
        await runner.migrate(only(step.headsBefore, step));
        const after = await snapshot();
        if (rows) {
          const lost = await rowsLost(rows, after, rev.revision);
          if (lost.length > 0) return ["its upgrade lost sample rows:", ...lost.map((d) => `- ${d}`)];
        }
        await runner.migrate(only(down.headsBefore, down));
        const restored = await differences(local, before, await snapshot());
        if (restored.length > 0) return ["its downgrade does not restore the schema before its upgrade; the downgrade left:", ...restored.map((d) => `- ${d}`)];
        await runner.migrate(only(step.headsBefore, step));
        const again = await differences(local, after, await snapshot());
        if (again.length > 0) return ["upgrading again after its downgrade gives another schema:", ...again.map((d) => `- ${d}`)];
        return undefined;
      });
      if (!ok) break;
    }
    return finish();
  } finally {
    await local.close().catch(() => undefined);
    await scratch.drop();
  }

  function finish(): number {
    const failed = outcomes.filter((o) => o.failure).length;
    if (junit) writeFileSync(resolve(context.cwd, junit), junitXml(outcomes));
    context.out(failed === 0 ? `All ${outcomes.length} checks passed.` : `${failed} of ${outcomes.length} checks failed.`);
    return failed === 0 ? 0 : 1;
  }
}
