/** Fresh, uniquely named benchmark databases, created and dropped per run. */
import { randomBytes } from "node:crypto";
import type { DialectName } from "../../src/ops/types";
import { createScratchDatabase, type ScratchDatabase } from "../scratch-database";

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/mysql";

export type BenchDatabase = ScratchDatabase;

export async function createBenchDatabase(dialect: DialectName, label: string, scratchDir: string): Promise<BenchDatabase> {
  const name = `retort_bench_${label}_${randomBytes(3).toString("hex")}`;
  return createScratchDatabase(dialect, name, { postgresUrl: POSTGRES_URL, mysqlUrl: MYSQL_URL, sqliteDir: scratchDir });
}
