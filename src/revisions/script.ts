import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { MigrationContext } from "../runner/context";
import { loadUserModule, precompile, UserCodeSyntaxError } from "../config/loader";
import { ConfigError, UserError } from "../errors";
import { revisionChecksum } from "./checksum";
import { RevisionGraph, type RevisionNode } from "./graph";

/** A revision file, loaded. */
export interface Revision extends RevisionNode {
  path: string;
  /** First line of the header comment / message. */
  doc: string;
  transactional: boolean;
  /** Checksum of the file's normalized code (see checksum.ts), recorded when the revision is applied. */
  checksum: string;
  upgrade(context: MigrationContext): Promise<void>;
  downgrade(context: MigrationContext): Promise<void>;
}

export class InvalidRevisionFileError extends UserError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Revision file ${file} ${reason}.`);
  }
}

const REVISION_FILE = /\.(ts|js|cts|mts)$/;

function asList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/** The `/** ... *\/` header's first line, which the templates fill with the message. */
function docOf(mod: Record<string, unknown>, source: string): string {
  if (typeof mod.message === "string") return mod.message;
  const header = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!header) return "";
  const lines = header[1].split("\n").map((l) => l.replace(/^\s*\*\s?/, "").trim());
  return lines.find((l) => l.length > 0) ?? "";
}

export function revisionFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => REVISION_FILE.test(f) && !f.endsWith(".d.ts") && !f.startsWith("_") && !f.startsWith("."))
    .sort()
    .map((f) => join(dir, f));
}

export function loadRevision(path: string): Revision {
  let mod: Record<string, unknown>;
  try {
    mod = loadUserModule(path);
  } catch (error) {
    if (error instanceof UserCodeSyntaxError) throw new ConfigError(`Could not load revision ${error.message}.`);
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new InvalidRevisionFileError(path, `could not be loaded (${message})`);
  }
  if (typeof mod.revision !== "string" || !mod.revision) throw new InvalidRevisionFileError(path, "exports no `revision` id");
  if (!("downRevision" in mod)) throw new InvalidRevisionFileError(path, "exports no `downRevision` (use null for the first revision)");
  if (typeof mod.upgrade !== "function") throw new InvalidRevisionFileError(path, "exports no `upgrade` function");
  if (typeof mod.downgrade !== "function") throw new InvalidRevisionFileError(path, "exports no `downgrade` function");
  const source = require("node:fs").readFileSync(path, "utf8") as string;
  return {
    revision: mod.revision,
    downRevisions: asList(mod.downRevision),
    branchLabels: asList(mod.branchLabels),
    dependsOn: asList(mod.dependsOn),
    path,
    doc: docOf(mod, source),
    transactional: mod.transactional !== false,
    checksum: revisionChecksum(source),
    upgrade: mod.upgrade as Revision["upgrade"],
    downgrade: mod.downgrade as Revision["downgrade"],
  };
}

/** The migrations folder: every revision file, and the graph over them. */
export class ScriptDirectory {
  readonly revisions: Map<string, Revision>;
  readonly graph: RevisionGraph;

  constructor(readonly dir: string) {
    const files = revisionFiles(dir);
    precompile(files);
    const loaded = files.map(loadRevision);
    this.revisions = new Map(loaded.map((r) => [r.revision, r]));
    this.graph = new RevisionGraph(loaded);
  }

  get(id: string): Revision {
    const node = this.revisions.get(id);
    if (!node) throw new UserError(`Revision ${id} has no file in ${this.dir}.`);
    return node;
  }
}
