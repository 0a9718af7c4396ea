/**
 * Every fixture case under test/autogen/fixtures/<case>/case.ts, on every
 * dialect it supports: convergence, rows kept, exact round trip.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { closeFormatter } from "../../src/emit";
import { ALL_DIALECTS, availableDialects, createTestDatabase } from "../support/databases";
import { runCase, type AutogenCase } from "./harness";

jest.mock("../../src/config/loader", () => require("../support/jest-loading").loaderForJest());

const FIXTURES = join(__dirname, "fixtures");
const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

afterAll(() => closeFormatter());

for (const dialect of ALL_DIALECTS) {
  const register = availableDialects().includes(dialect) ? describe : describe.skip;
  register(`autogenerate fixtures [${dialect}]`, () => {
    for (const name of cases) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const testCase = require(join(FIXTURES, name, "case.ts")).default as AutogenCase;
      if (testCase.dialects && !testCase.dialects.includes(dialect)) continue;
      test(name, async () => {
        const db = await createTestDatabase(dialect);
        try {
          await runCase(testCase, dialect, db);
        } finally {
          await db.drop();
        }
      });
    }
  });
}
