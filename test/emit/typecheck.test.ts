import { join, resolve } from "node:path";
import * as ts from "typescript";
import { closeFormatter, formatSource, renderRevisionSource } from "../../src/emit";
import { allSampleOps, step } from "./support";

afterAll(closeFormatter);

const repoRoot = resolve(__dirname, "../..");
const virtualPath = join(repoRoot, "test", "emit", "__generated_revision__.ts");

let previousProgram: ts.Program | undefined;

/**
 * Type-checks `source` as if it were a file in the repository, with the repo's
 * tsconfig (which maps `typeorm-retort` to src/index.ts). Only the generated
 * file's own diagnostics count, so work in progress elsewhere cannot fail this.
 */
function typeErrors(source: string): string[] {
  const configPath = join(repoRoot, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error("cannot read tsconfig.json");
  const options = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    resolve(fileName) === virtualPath ? ts.createSourceFile(fileName, source, languageVersion, true) : getSourceFile(fileName, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => resolve(fileName) === virtualPath || fileExists(fileName);
  const program = ts.createProgram({ rootNames: [virtualPath], options, host, oldProgram: previousProgram });
  previousProgram = program;
  const file = program.getSourceFile(virtualPath)!;
  return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  );
}

describe("a generated revision type-checks against the real `typeorm-retort` MigrationContext", () => {
  it("with every op kind in both functions, all optional exports, notes and reviews, after prettier", async () => {
    const source = renderRevisionSource({
      revision: "3f2a9c1b7d4e",
      downRevision: ["a1", "b2"],
      message: "Every op",
      createdAt: new Date("2026-11-22T10:04:11Z"),
      branchLabels: ["core"],
      dependsOn: ["c3"],
      transactional: false,
      notes: ["REVIEW a global note"],
      upgrade: allSampleOps.map((op) => step(op, { destructive: true, review: ["check"] })),
      downgrade: [...allSampleOps].reverse().map((op) => step(op)),
    });
    expect(typeErrors(await formatSource(source, virtualPath))).toEqual([]);
  }, 60_000);

  it("and the check is real: a call with wrong arguments is reported", () => {
    const source = renderRevisionSource({ revision: "r", downRevision: null, message: "m", createdAt: new Date() }).replace(
      "// write your upgrade here",
      'await op.addColumn("users", { name: "x" });',
    );
    const errors = typeErrors(source);
    expect(errors.join("\n")).toMatch(/Property 'type' is missing/);
    expect(errors).toHaveLength(1);
  }, 60_000);
});
