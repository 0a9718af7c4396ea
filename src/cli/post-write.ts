import { spawnSync } from "node:child_process";
import { UserError } from "../errors";

/** Runs the configured post-write commands (`{file}` replaced by the new revision's path). */
export async function runPostWriteHooks(commands: string[], file: string, cwd: string): Promise<void> {
  for (const template of commands) {
    const command = template.split("{file}").join(JSON.stringify(file));
    const result = spawnSync(command, { cwd, shell: true, stdio: "inherit" });
    if (result.status !== 0) {
      throw new UserError(`Post-write hook \`${command}\` exited with ${result.status}; the revision file was written to ${file}.`);
    }
  }
}
