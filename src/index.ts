/** typeorm-retort: Alembic-style migrations for TypeORM. Programmatic API. */
export type { MigrationContext } from "./runner/context";
export type { RetortOptions } from "./config/config";
export type { OpApi } from "./ops/calls";
export type { Op, OpKind, DialectName, ColumnChanges } from "./ops/types";
export type { ColumnSpec, PortableColumn, PortableDefault, PortableType } from "./ops/portable";
export type * from "./schema/types";
export { reverseOp, reverseOps, IrreversibleOpError } from "./ops/reverse";
export { loadConfig } from "./config/config";
export { getDialect } from "./dialects";
export { RevisionGraph } from "./revisions/graph";
export { ScriptDirectory } from "./revisions/script";
export { Runner } from "./runner/runner";
export { main } from "./cli/main";
