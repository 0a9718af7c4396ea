/**
 * A revision op written for some dialects only (`op.only("postgres")...`) is
 * refused elsewhere before anything runs: MySQL commits each DDL statement at
 * once, so finding out at the op itself would leave the revision half done.
 */
import type { Dialect } from "../dialects/dialect";
import { UserError } from "../errors";
import { createOpApi } from "../ops/calls";
import { describeOp } from "../ops/portable";
import type { DialectName, Op } from "../ops/types";
import type { Step } from "../revisions/graph";
import type { Revision, ScriptDirectory } from "../revisions/script";
import type { MigrationContext } from "./context";

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

/** The same refusal, for an op met while running (a body that took another path in the dry run). */
export function assertOpRunsOn(revision: Revision, dialect: Dialect, op: Op, dialects: readonly DialectName[] | undefined): void {
  if (dialects && !dialects.includes(dialect.name)) throw new DialectMismatchError(revision, dialect.name, dialects, op);
}

/**
 * Runs each step's body against a recorder (no database, `offline: true`) and
 * throws for the first op whose dialects exclude `dialect`. A body that fails
 * without a database (it reads rows to decide) is skipped here; the same
 * check runs again at each op.
 */
export async function assertStepsRunOn(steps: readonly Step[], scripts: ScriptDirectory, dialect: Dialect): Promise<void> {
  for (const step of steps) {
    const revision = scripts.get(step.revision.revision);
    let refused: DialectMismatchError | undefined;
    const context: MigrationContext = {
      op: createOpApi(async (op, dialects) => {
        if (!refused && dialects && !dialects.includes(dialect.name)) refused = new DialectMismatchError(revision, dialect.name, dialects, op);
      }),
      dialect: dialect.name,
      offline: true,
      query: async <T>() => [] as T[],
    };
    try {
      await (step.direction === "up" ? revision.upgrade(context) : revision.downgrade(context));
    } catch {
      // Only the ops recorded before the failure are judged.
    }
    if (refused) throw refused;
  }
}
