import { loadConfig, type LoadedConfig } from "../config/config";
import { describeTarget, scrubSecrets } from "../config/url";
import { getDialect } from "../dialects";
import type { Dialect } from "../dialects/dialect";
import { ConnectionError, UserError } from "../errors";
import { serverInfo } from "../dialects/server-info";
import { ScriptDirectory } from "../revisions/script";
import { connect, dialectNameOf, type Connection } from "../runner/connection";
import { DEFAULT_LOCK_TIMEOUT_SECONDS, parseLockTimeout } from "../runner/lock";
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
      const connection = await connect(config.dataSource);
      try {
        // A cheap query that reads the database, so that "not a database" (a SQLite file of something else) is a connection error.
        await serverInfo(connection.dialect, connection.db);
      } catch (error) {
        await connection.close().catch(() => undefined);
        throw error;
      }
      this.openConnection = connection;
    } catch (error) {
      if (error instanceof UserError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      throw new ConnectionError(scrubSecrets(`Cannot connect to ${describeTarget(config.options)}: ${reason}.`).replace(/\.\.$/, "."));
    }
    return this.openConnection;
  }

  /** The runner; `lockTimeout` is the command's --lock-timeout, when given. */
  async runner(lockTimeout?: unknown): Promise<Runner> {
    const config = await this.config();
    const lockTimeoutSeconds = await this.lockTimeoutSeconds(lockTimeout);
    return new Runner(await this.connection(), await this.dialect(), await this.scripts(), {
      versionTable: config.retort.versionTable,
      transactionMode: config.retort.transactionMode,
      log: this.out,
      lockTimeoutSeconds,
    });
  }

  /** --lock-timeout, else RETORT_LOCK_TIMEOUT, else `retort.lockTimeout`, else the default. */
  private async lockTimeoutSeconds(cli: unknown): Promise<number> {
    if (cli !== undefined) return parseLockTimeout(cli, "--lock-timeout");
    const env = process.env.RETORT_LOCK_TIMEOUT;
    if (env !== undefined && env !== "") return parseLockTimeout(env, "RETORT_LOCK_TIMEOUT");
    const configured = (await this.config()).retort.lockTimeout;
    if (configured !== undefined) return parseLockTimeout(configured, "retort.lockTimeout in the config");
    return DEFAULT_LOCK_TIMEOUT_SECONDS;
  }

  async close(): Promise<void> {
    await this.openConnection?.close();
    this.openConnection = undefined;
  }
}
