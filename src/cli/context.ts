import { loadConfig, type LoadedConfig } from "../config/config";
import { describeTarget, scrubSecrets } from "../config/url";
import { getDialect } from "../dialects";
import type { Dialect } from "../dialects/dialect";
import { ConnectionError } from "../errors";
import { ScriptDirectory } from "../revisions/script";
import { connect, dialectNameOf, type Connection } from "../runner/connection";
import { EntityLoadError } from "../runner/entity-lookups";
import { Runner } from "../runner/runner";

export interface GlobalArgs {
  config?: string;
  verbose?: boolean;
  json?: boolean;
}

/** Lazily loaded pieces a command needs: config, dialect, scripts, connection. Each is built once. */
export class CommandContext {
  private loadedConfig?: LoadedConfig;
  private loadedScripts?: ScriptDirectory;
  private openConnection?: Connection;

  constructor(
    readonly args: GlobalArgs,
    readonly cwd: string = process.cwd(),
    readonly out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  async config(): Promise<LoadedConfig> {
    this.loadedConfig ??= await loadConfig(this.cwd, this.args.config);
    return this.loadedConfig;
  }

  async dialect(): Promise<Dialect> {
    return getDialect(dialectNameOf((await this.config()).options));
  }

  async scripts(): Promise<ScriptDirectory> {
    this.loadedScripts ??= new ScriptDirectory((await this.config()).retort.migrationsDir);
    return this.loadedScripts;
  }

  async connection(): Promise<Connection> {
    if (this.openConnection) return this.openConnection;
    const config = await this.config();
    try {
      this.openConnection = await connect(config.dataSource);
    } catch (error) {
      if (error instanceof EntityLoadError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      throw new ConnectionError(scrubSecrets(`Cannot connect to ${describeTarget(config.options)}: ${reason}.`).replace(/\.\.$/, "."));
    }
    return this.openConnection;
  }

  async runner(): Promise<Runner> {
    const config = await this.config();
    return new Runner(await this.connection(), await this.dialect(), await this.scripts(), {
      versionTable: config.retort.versionTable,
      transactionMode: config.retort.transactionMode,
      log: this.out,
    });
  }

  async close(): Promise<void> {
    await this.openConnection?.close();
    this.openConnection = undefined;
  }
}
