import type { LoadedConfig } from "../config/config";
import type { Dialect } from "../dialects/dialect";
import type { ScriptDirectory } from "../revisions/script";
import type { DeclaredModel } from "../model/declared";
import type { Connection } from "../runner/connection";
import type { Runner } from "../runner/runner";

// Everything past the argument parser loads on first use: `--help` loads none of it, and
// `heads` or `history` load the config and the revisions but not the dialects or the runner.
const configModule = () => import("../config/config");
const connectionModule = () => import("../runner/connection");

export interface GlobalArgs {
  config?: string;
  verbose?: boolean;
  json?: boolean;
}

/** Lazily loaded pieces a command needs: config, dialect, scripts, connection. Each is built once. */
export class CommandContext {
  private loadedConfig?: LoadedConfig;
  private loadedScripts?: ScriptDirectory;
  private openConnection?: Promise<Connection>;
  private comparesModel = false;
  private serverVersion = "";
  /**
   * Whether the model this context compares with is kept in the model cache
   * (one entry per config and dialect). A scratch database's is not: its
   * name is new each run, so its model would never be read back, and it
   * would replace the entry of the project's own database.
   */
  protected readonly keepsModel: boolean = true;

  constructor(
    readonly args: GlobalArgs,
    readonly cwd: string = process.cwd(),
    readonly out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  /**
   * For the commands that compare the model (check, revision --autogenerate,
   * test): the entity files are compiled with the revisions. Like every
   * command, they defer the entity files the config imports until the
   * metadata is built, which the model cache may spare them. Called before
   * anything loads the config.
   */
  withModel(): this {
    this.comparesModel = true;
    return this;
  }

  async config(): Promise<LoadedConfig> {
    this.loadedConfig ??= await (await configModule()).loadConfig(this.cwd, this.args.config, {
      deferEntityImports: true,
      compileAhead: { entities: this.comparesModel },
    });
    return this.loadedConfig;
  }

  async dialect(): Promise<Dialect> {
    const options = (await this.config()).options;
    const [{ getDialect }, { dialectNameOf }] = await Promise.all([import("../dialects"), connectionModule()]);
    return getDialect(dialectNameOf(options));
  }

  async scripts(): Promise<ScriptDirectory> {
    if (this.loadedScripts) return this.loadedScripts;
    const config = await this.config();
    const { ScriptDirectory, revisionFiles } = await import("../revisions/script");
    if (this.comparesModel) {
      // The entity files are compiled with the revisions: each start of the compiler reads TypeORM's and Node's
      // declarations again (about half a second on a 2-core machine), and a cold `check` would start it twice.
      // Meanwhile the dialect and the runner load, which the comparison needs next.
      const { precompileWith } = await import("../runner/entity-lookups");
      await Promise.all([precompileWith(config.options, revisionFiles(config.retort.migrationsDir)), this.dialect(), import("../runner/runner")]);
    }
    this.loadedScripts ??= new ScriptDirectory(config.retort.migrationsDir);
    return this.loadedScripts;
  }

  /** The connection with TypeORM's entity metadata built: for the commands that compare the model. */
  async connection(): Promise<Connection> {
    const connection = await this.bareConnection();
    await connection.ensureMetadata();
    return connection;
  }

  /**
   * What the entities declare, for a comparison: from the model cache when
   * nothing it was built from changed (src/model/cache.ts), else built from
   * TypeORM's entity metadata (and kept). --verbose says which.
   */
  async declaredModel(): Promise<DeclaredModel> {
    const config = await this.config();
    const connection = await this.bareConnection();
    const dialect = await this.dialect();
    const [{ cachedModel }, { declaredModelOf }] = await Promise.all([import("../model/cache"), import("../model/declared")]);
    const includeTable = (name: string) => config.isManagedTable(name);
    const { include, exclude, versionTable } = config.retort;
    const build = async () => {
      await connection.ensureMetadata();
      return declaredModelOf(connection.dataSource, dialect, includeTable);
    };
    const outcome = this.keepsModel
      ? await cachedModel({ configPath: config.path, options: config.options, dialect: dialect.name, serverVersion: this.serverVersion, managed: { include, exclude, versionTable } }, build)
      : { model: await build(), from: "built" as const, kept: false, reason: "a scratch database's model is not kept" };
    if (this.args.verbose) {
      const how =
        outcome.from === "cache"
          ? "read from the model cache (nothing it was built from changed)"
          : `built from the entity metadata${outcome.kept ? ", and kept in the model cache" : outcome.reason ? ` (not cached: ${outcome.reason})` : ""}`;
      process.stderr.write(`The entity model: ${how}.\n`);
    }
    return outcome.model;
  }

  /**
   * The connection without the entity files loaded or TypeORM's metadata
   * built: what reading and writing the version table and running revisions
   * needs, at the same cost for 5 entities as for 3000.
   */
  async bareConnection(): Promise<Connection> {
    this.openConnection ??= this.open();
    try {
      return await this.openConnection;
    } catch (error) {
      this.openConnection = undefined;
      throw error;
    }
  }

  private async open(): Promise<Connection> {
    const config = await this.config();
    const [{ describeTarget, scrubSecrets }, { connect }, { serverInfo }, { ConnectionError, UserError, firstLineOf }] = await Promise.all([
      import("../config/url"),
      connectionModule(),
      import("../dialects/server-info"),
      import("../errors"),
    ]);
    try {
      const connection = await connect(config.dataSource, { metadata: false });
      try {
        // A cheap query that reads the database, so that "not a database" (a SQLite file of something else) is a connection error.
        this.serverVersion = (await serverInfo(connection.dialect, connection.db)).version;
      } catch (error) {
        await connection.close().catch(() => undefined);
        throw error;
      }
      return connection;
    } catch (error) {
      if (error instanceof UserError) throw error;
      const reason = firstLineOf(error);
      throw new ConnectionError(scrubSecrets(`Cannot connect to ${describeTarget(config.options)}: ${reason}.`).replace(/\.\.$/, "."));
    }
  }

  /**
   * The runner; `lockTimeout` is the command's --lock-timeout, `statementLocks`
   * its --statement-lock-timeout and --lock-retries, when given.
   */
  async runner(lockTimeout?: unknown, statementLocks: { timeout?: unknown; retries?: unknown } = {}): Promise<Runner> {
    const config = await this.config();
    const lockTimeoutSeconds = await this.lockTimeoutSeconds(lockTimeout);
    const { Runner } = await import("../runner/runner");
    const { statementLockOptions } = await import("../runner/lock-retry");
    return new Runner(await this.bareConnection(), await this.dialect(), await this.scripts(), {
      versionTable: config.retort.versionTable,
      transactionMode: config.retort.transactionMode,
      log: this.out,
      lockTimeoutSeconds,
      statementLocks: statementLockOptions(statementLocks, config.retort),
    });
  }

  /** --lock-timeout, else RETORT_LOCK_TIMEOUT, else `retort.lockTimeout`, else the default. */
  private async lockTimeoutSeconds(cli: unknown): Promise<number> {
    const { DEFAULT_LOCK_TIMEOUT_SECONDS, parseLockTimeout } = await import("../runner/lock");
    if (cli !== undefined) return parseLockTimeout(cli, "--lock-timeout");
    const env = process.env.RETORT_LOCK_TIMEOUT;
    if (env !== undefined && env !== "") return parseLockTimeout(env, "RETORT_LOCK_TIMEOUT");
    const configured = (await this.config()).retort.lockTimeout;
    if (configured !== undefined) return parseLockTimeout(configured, "retort.lockTimeout in the config");
    return DEFAULT_LOCK_TIMEOUT_SECONDS;
  }

  async close(): Promise<void> {
    const open = this.openConnection;
    this.openConnection = undefined;
    await (await open?.catch(() => undefined))?.close();
  }
}
