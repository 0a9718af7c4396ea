/**
 * Portable revisions across dialects: representative fixtures generated on
 * each dialect and applied on each other one (every ordered pair). The full
 * corpus (every fixture whose entities are the same on all dialects) runs with
 * RETORT_PORTABLE_SWEEP=1 (`node scripts/portable-sweep.js`).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { closeFormatter } from "../../src/emit";
import type { DialectName } from "../../src/ops/types";
import { ALL_DIALECTS, availableDialects } from "../support/databases";
import type { AutogenCase } from "./harness";
import { applyOn, generateOn, isPortableCase, removeGenerated } from "./portable";

jest.mock("../../src/config/loader", () => require("../support/jest-loading").loaderForJest());

const FIXTURES = join(__dirname, "fixtures");
const REPRESENTATIVE = ["default-literals", "col-set-not-null-default", "varchar-to-enum", "col-varchar-to-text", "fk-added", "default-uuid", "enum-value-added-as-default", "tbl-drop"];
const sweep = process.env.RETORT_PORTABLE_SWEEP === "1";
const only = process.env.RETORT_PORTABLE_ONLY ? new RegExp(process.env.RETORT_PORTABLE_ONLY) : undefined;

function load(name: string): AutogenCase {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(FIXTURES, name, "case.ts")).default as AutogenCase;
}

const names = sweep
  ? readdirSync(FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory() && (!only || only.test(d.name)) && isPortableCase(load(d.name)))
      .map((d) => d.name)
      .sort()
  : REPRESENTATIVE;

const dialects = ALL_DIALECTS.filter((d) => availableDialects().includes(d));

afterAll(() => closeFormatter());

for (const name of names) {
  const testCase = load(name);
  for (const from of dialects) {
    describe(`${name}: generated on ${from}`, () => {
      let generated: Awaited<ReturnType<typeof generateOn>> | undefined;
      beforeAll(async () => {
        generated = await generateOn(testCase, from);
      });
      afterAll(() => generated && removeGenerated(generated));

      // The sweep also meets fixtures whose entities use what one dialect alone has (generated
      // columns, partial indexes...): their files say so with op.only and are not applied elsewhere.
      const dialectOnly = () => sweep && generated!.sources.join("\n").includes("op.only(");
      test("is written in the portable vocabulary", () => {
        if (dialectOnly()) return console.log(`${name} on ${from}: dialect-only ops, not applied elsewhere`);
        expect(isPortableCase(testCase)).toBe(true);
        const text = generated!.sources.join("\n");
        expect(text).not.toContain("op.only(");
        expect(text).toMatch(/type: "(String|Integer|Text|Uuid)"/);
      });
      for (const to of dialects.filter((d): d is DialectName => d !== from)) {
        test(`applies on ${to}: upgrade, rows kept, check clean, downgrade base empty`, async () => {
          if (dialectOnly()) return;
          await applyOn(testCase, generated!, to);
        });
      }
    });
  }
}
