/**
 * A revision body run once without a database, before it runs for real:
 * the ops it issues are what the dialect check (ops written for other
 * dialects) and the data check (rows an op would reject) judge before the
 * first statement. The body sees `offline: true`, as in `--sql` mode; code
 * with effects outside `op` and `query` should look at `offline`.
 */
import { firstLineOf } from "../errors";
import { createOpApi } from "../ops/calls";
import { DefaultValueError } from "../ops/portable";
import type { DialectName, Op } from "../ops/types";
import type { Revision } from "../revisions/script";
import type { MigrationContext } from "./context";

export interface RecordedOp {
  op: Op;
  /** `op.only(...)`: the dialects the op is written for. */
  dialects?: readonly DialectName[];
  /** Made at the call: its stack names the line of the revision file that issued the op (`retort lint` reads it). */
  site: Error;
}

export interface RecordedBody {
  ops: readonly RecordedOp[];
  /**
   * How many ops came before the body first read the database (a raw query,
   * the QueryRunner or the DataSource) or threw: the data those ops judge is
   * known in advance; later ops may depend on what was read.
   */
  knownInAdvance: number;
  /**
   * Whether the body reached for the QueryRunner or the DataSource, or threw
   * before showing what it does: its real run may then use TypeORM's entity
   * metadata (`dataSource.getRepository(User)`), which is built beforehand.
   */
  mayUseEntities: boolean;
  /** The first line of what the body threw, other than its reach for the database: the ops after it are unknown. */
  stoppedBy?: string;
  /**
   * An op the file writes wrong (a default that is neither SQL nor a portable
   * value), met before the body first reads the database: the real run would
   * meet it too, after running the statements before it.
   */
  invalidOp?: DefaultValueError;
}

/** Thrown into a body that reaches for the QueryRunner or DataSource: there is none in a dry run. */
class NoDatabase extends Error {}

const recorded = new WeakMap<Revision, Map<string, Promise<RecordedBody>>>();

/** The body's ops, recorded once per revision, direction and dialect in this process. */
export function recordBody(revision: Revision, direction: "up" | "down", dialect: DialectName): Promise<RecordedBody> {
  let byKey = recorded.get(revision);
  if (!byKey) recorded.set(revision, (byKey = new Map()));
  const key = `${direction}:${dialect}`;
  let body = byKey.get(key);
  if (!body) byKey.set(key, (body = record(revision, direction, dialect)));
  return body;
}

async function record(revision: Revision, direction: "up" | "down", dialect: DialectName): Promise<RecordedBody> {
  const ops: RecordedOp[] = [];
  let knownInAdvance: number | undefined;
  const databaseNeeded = () => (knownInAdvance ??= ops.length);
  let mayUseEntities = false;
  const typeormNeeded = () => {
    databaseNeeded();
    mayUseEntities = true;
    throw new NoDatabase();
  };
  const context = {
    op: createOpApi(async (op, dialects) => {
      ops.push({ op, dialects, site: new Error() });
    }),
    dialect,
    offline: true,
    query: async <T>() => {
      databaseNeeded();
      return [] as T[];
    },
    get queryRunner() {
      return typeormNeeded();
    },
    get dataSource() {
      return typeormNeeded();
    },
  } as MigrationContext;
  let stoppedBy: string | undefined;
  let invalidOp: DefaultValueError | undefined;
  try {
    await (direction === "up" ? revision.upgrade(context) : revision.downgrade(context));
  } catch (error) {
    if (error instanceof DefaultValueError && knownInAdvance === undefined) invalidOp = error;
    // The real run reaches the same point and reports (or does) what follows.
    databaseNeeded();
    if (!(error instanceof NoDatabase)) {
      mayUseEntities = true;
      stoppedBy = firstLineOf(error);
    }
  }
  return { ops, knownInAdvance: knownInAdvance ?? ops.length, mayUseEntities, ...(stoppedBy === undefined ? {} : { stoppedBy }), ...(invalidOp ? { invalidOp } : {}) };
}
