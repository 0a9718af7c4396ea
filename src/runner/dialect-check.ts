/**
 * A revision op written for some dialects only (`op.only("postgres")...`) is
 * refused elsewhere before anything runs: MySQL commits each DDL statement at
 * once, so finding out at the op itself would leave the revision half done.
 */
import type { Dialect } from "../dialects/dialect";
import { UserError } from "../errors";
import { describeOp } from "../ops/portable";
import type { DialectName, Op } from "../ops/types";
import type { Step } from "../revisions/graph";
import type { Revision, ScriptDirectory } from "../revisions/script";
import { recordBody } from "./dry-run";

export class DialectMismatchError extends UserError {
  constructor(
    readonly revision: Revision,
    readonly dialect: DialectName,
    readonly dialects: readonly DialectName[],
    readonly op: Op,
  ) {
    super(
      `Revision ${revision.revision} (${revision.path}) cannot run on ${dialect}: ${describeOp(op)} is written for ${dialects.join(" and ")} only, so nothing was run`,
    );
  }
}

/** A revision whose body writes an op wrong before it first reads the database: refused before anything runs. */
export class InvalidOpError extends UserError {
  constructor(
    readonly revision: Revision,
    cause: Error,
  ) {
    super(`Revision ${revision.revision} (${revision.path}) cannot run: ${cause.message}, so nothing was run`);
  }
}

/** The same refusal, for an op met while running (a body that took another path in the dry run). */
export function assertOpRunsOn(revision: Revision, dialect: Dialect, op: Op, dialects: readonly DialectName[] | undefined): void {
  if (dialects && !dialects.includes(dialect.name)) throw new DialectMismatchError(revision, dialect.name, dialects, op);
}

/**
 * Throws for the first op, in the steps' dry runs, whose dialects exclude
 * `dialect`, or that the file writes wrong. Ops after a body first reads the database are judged too (a
 * dry-run `query` returns no rows); the same check runs again at each op.
 */
export async function assertStepsRunOn(steps: readonly Step[], scripts: ScriptDirectory, dialect: Dialect): Promise<void> {
  for (const step of steps) {
    const revision = scripts.get(step.revision.revision);
    const body = await recordBody(revision, step.direction, dialect.name);
    const refused = body.ops.find(({ dialects }) => dialects && !dialects.includes(dialect.name));
    if (refused) throw new DialectMismatchError(revision, dialect.name, refused.dialects!, refused.op);
    if (body.invalidOp) throw new InvalidOpError(revision, body.invalidOp);
  }
}
