import { promises as fs } from "node:fs";
import * as path from "node:path";
import { RevisionFileExistsError } from "./errors";
import { revisionFileName } from "./filename";
import { formatRevision } from "./format";
import { renderRevision, type RevisionFileSpec } from "./revision";

/**
 * Renders, formats (with the prettier config that applies to the target path)
 * and writes a revision file into `dir`. Never overwrites: an existing file is
 * a `RevisionFileExistsError`. Returns the path written.
 */
export async function writeRevisionFile(dir: string, template: string, spec: RevisionFileSpec): Promise<string> {
  const name = revisionFileName(template, { rev: spec.revision, message: spec.message, createdAt: spec.createdAt });
  const target = path.resolve(dir, name);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const source = await formatRevision(renderRevision(spec), target);
  try {
    // "wx" fails if the file exists, so two concurrent writers cannot both win.
    await fs.writeFile(target, source, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new RevisionFileExistsError(target);
    throw error;
  }
  return target;
}
