/**
 * A scratch database for `retort test` and `check --fresh`: a uniquely named
 * database on the configured server (or a temporary SQLite file), and a
 * command context whose config points at it.
 */
import type { DataSource, DataSourceOptions } from "typeorm";
import type { LoadedConfig } from "../config/config";
import type { ScratchDatabase } from "../dialects/dialect";
import { firstLineOf, UserError } from "../errors";
import { UnmergedHeadsError } from "../revisions/errors";
import { CommandContext } from "./context";

/** A context on the scratch database: the project's config with the connection pointed elsewhere. */
export class ScratchContext extends CommandContext {
  constructor(
    parent: CommandContext,
    private readonly scratchConfig: LoadedConfig,
    out: (line: string) => void,
  ) {
    super(parent.args, parent.cwd, out);
  }

  protected override readonly keepsModel = false;

  override async config(): Promise<LoadedConfig> {
    return this.scratchConfig;
  }
}

export function pointedConfig(config: LoadedConfig, scratch: ScratchDatabase): LoadedConfig {
  const options = { ...config.options, ...scratch.options } as DataSourceOptions;
  // The project's own DataSource class, from the typeorm its config imports.
  const Source = config.dataSource.constructor as new (options: DataSourceOptions) => DataSource;
  return { ...config, options, dataSource: new Source(options) };
}

/**
 * Creates the scratch database and a context on it (runner output only with
 * --verbose). The caller closes `local` and drops `scratch`.
 */
export async function openScratch(context: CommandContext): Promise<{ scratch: ScratchDatabase; local: ScratchContext }> {
  const config = await context.config();
  const dialect = await context.dialect();
  const name = `retort_test_${process.pid}_${Date.now().toString(36)}`;
  let scratch: ScratchDatabase;
  try {
    scratch = await dialect.createScratchDatabase(config.options, async () => (await context.connection()).db, name);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = firstLineOf(error);
    throw new UserError(`Cannot create the scratch database ${name} on the configured server: ${reason}`);
  }
  const quiet = context.args.verbose ? context.out : () => undefined;
  return { scratch, local: new ScratchContext(context, pointedConfig(config, scratch), quiet) };
}

/**
 * `check --fresh` / `--dev-url`: builds a scratch database from the
 * revisions alone and runs `check` on it, so CI needs no migrated database.
 * Exit codes as `check`; revisions that fail to build it are an error (2).
 */
export async function runFreshCheck(context: CommandContext, json: boolean): Promise<number> {
  const graph = (await context.scripts()).graph;
  const unmerged = graph.unmergedHeads();
  if (unmerged.length > 0) throw new UnmergedHeadsError(unmerged);
  const { scratch, local } = await openScratch(context);
  // Runner lines stay quiet (stdout may be --json); the check speaks through the command's own output,
  // on a DataSource of its own (the runner's connects without entity metadata).
  const checking = new ScratchContext(context, pointedConfig(await context.config(), scratch), context.out);
  try {
    try {
      await (await local.runner()).migrate((heads) => graph.planUpgrade(heads, "heads"));
    } catch (error) {
      const reason = firstLineOf(error);
      throw new UserError(`The revisions do not build a fresh database (scratch ${scratch.describe}): ${reason}`);
    }
    if (!json) context.out(`Built the scratch ${scratch.describe} from the revisions (dropped afterwards).`);
    return await (await import("./autogenerate")).runCheck(checking, json);
  } finally {
    await checking.close().catch(() => undefined);
    await local.close().catch(() => undefined);
    await scratch.drop();
  }
}
