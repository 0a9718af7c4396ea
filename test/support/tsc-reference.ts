/**
 * This repository's TypeScript 5 emitting a project as `tsc -p tsconfig.json
 * --outDir <dir> --rootDir <project> --inlineSourceMap` does, in the test's
 * own process: `tsc` is createProgram and emit over the parsed tsconfig, and
 * so is this. An edit-and-compile series asks for the reference after every
 * step; a `tsc` process for each step parsed TypeORM's and the language's
 * declaration files again (2.5 CPU-seconds a step), while here a file whose
 * text did not change keeps its parsed and bound tree from the step before,
 * as an editor's language service keeps it. The first reference of a project
 * is also taken from the `tsc` executable and must equal this one, so a
 * series shows that the two agree on its project and options.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { REPO } from "./project";

const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");

interface CachedSourceFile {
  text: string;
  sourceFile: ts.SourceFile;
}

export interface TscReference {
  /** Each of `files` (absolute `.ts` paths) mapped to the JavaScript tsc emits for it as the project now is. */
  emit(files: string[]): Map<string, string>;
}

export function tscReference(projectDir: string): TscReference {
  const outDir = join(projectDir, "tsc-out");
  // Parsed trees depend on the options (target, strictness), so they are kept per option set.
  const trees = new Map<string, Map<string, CachedSourceFile>>();
  let previous: { program: ts.Program; optionsKey: string } | undefined;
  let checkedAgainstExecutable = false;

  const emitInProcess = (files: string[]): Map<string, string> => {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(projectDir, "tsconfig.json"), { outDir, rootDir: projectDir, inlineSourceMap: true }, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    });
    if (!parsed) throw new Error(`tsconfig.json of ${projectDir} did not parse`);
    const optionsKey = JSON.stringify(parsed.options);
    const cache = trees.get(optionsKey) ?? new Map<string, CachedSourceFile>();
    trees.set(optionsKey, cache);
    const host = ts.createCompilerHost(parsed.options);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError) => {
      let text: string;
      try {
        text = readFileSync(fileName, "utf8");
      } catch (error) {
        onError?.((error as Error).message);
        return undefined;
      }
      const cached = cache.get(fileName);
      if (cached?.text === text) return cached.sourceFile;
      const sourceFile = ts.createSourceFile(fileName, text, languageVersionOrOptions);
      cache.set(fileName, { text, sourceFile });
      return sourceFile;
    };
    const program = ts.createProgram({
      rootNames: parsed.fileNames,
      options: parsed.options,
      projectReferences: parsed.projectReferences,
      host,
      oldProgram: previous?.optionsKey === optionsKey ? previous.program : undefined,
    });
    previous = { program, optionsKey };
    const emitted = new Map<string, string>();
    program.emit(undefined, (fileName, text) => emitted.set(fileName, text));
    // The compiler names what it writes with forward slashes.
    return new Map(files.map((file) => [file, emitted.get(outputPathOf(outDir, projectDir, file).replace(/\\/g, "/")) ?? ""]));
  };

  return {
    emit(files) {
      const outputs = emitInProcess(files);
      if (!checkedAgainstExecutable) {
        checkedAgainstExecutable = true;
        const executable = tscExecutableEmit(projectDir, files);
        for (const file of files) {
          if (outputs.get(file) !== executable.get(file)) {
            throw new Error(`the in-process emit of ${relative(projectDir, file)} differs from the tsc executable's:\n${outputs.get(file)}\n---\n${executable.get(file)}`);
          }
        }
      }
      return outputs;
    },
  };
}

/** What the `tsc` executable emits for each of `files` (absolute `.ts` paths) of the project at `projectDir`. */
export function tscExecutableEmit(projectDir: string, files: string[]): Map<string, string> {
  const outDir = join(projectDir, "tsc-out");
  rmSync(outDir, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [TSC, "-p", "tsconfig.json", "--outDir", outDir, "--rootDir", projectDir, "--inlineSourceMap"], { cwd: projectDir, encoding: "utf8" });
  if (tsc.error) throw tsc.error;
  const outputs = new Map(files.map((file) => [file, readFileSync(outputPathOf(outDir, projectDir, file), "utf8")]));
  rmSync(outDir, { recursive: true, force: true });
  return outputs;
}

/** Where `tsc --outDir outDir --rootDir projectDir` writes the JavaScript of `file`. */
function outputPathOf(outDir: string, projectDir: string, file: string): string {
  return join(outDir, relative(projectDir, file).replace(/\.ts$/, ".js"));
}
