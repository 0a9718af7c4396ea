import yargs, { type Argv } from "yargs";
import { sizeLimit } from "../config/cache-folder";
import { scrubSecrets } from "../config/url";
import { ConfigError, UserError } from "../errors";
import { RevisionError } from "../revisions/errors";
import { OfflineUnsupportedError, UnsupportedOpError } from "../dialects/dialect";
import { IrreversibleOpError } from "../ops/reverse";
import { CommandContext, type GlobalArgs } from "./context";
import { registerCommands } from "./commands";

/** Exit codes: 0 ok, 1 drift found by `check`, 2 user error. */
export const EXIT_OK = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;

/** Errors the user can act on: printed as one sentence with exit code 2. */
export function isUserFacing(error: unknown): error is Error {
  return (
    error instanceof UserError ||
    error instanceof RevisionError ||
    error instanceof OfflineUnsupportedError ||
    error instanceof UnsupportedOpError ||
    error instanceof IrreversibleOpError
  );
}

function finishSentence(message: string): string {
  const line = message.trim();
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

/** yargs' usage messages as one sentence that says where to look. */
function usageSentence(message: string): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) return `Unknown command or option ${unknown[1]}; \`retort --help\` lists them.`;
  return `${message.replace(/[.\s]+$/, "")}; \`retort --help\` shows the usage.`;
}

let closedReadersIgnored = false;

/**
 * A reader that stops early (`retort history | head -3`) closes the pipe, and
 * Node fails the next write with EPIPE as an unhandled error: a stack trace
 * and exit 1. The command goes on to its end instead (an upgrade is not cut
 * short because its log's reader went away); what it prints after goes nowhere.
 */
function ignoreClosedReaders(): void {
  if (closedReadersIgnored) return;
  closedReadersIgnored = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  ignoreClosedReaders();
  let exitCode = EXIT_OK;
  let context: CommandContext | undefined;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const parser: Argv = yargs(argv)
    .scriptName("retort")
    .usage("$0 <command> [options]\n\nAlembic-style migrations for TypeORM (PostgreSQL, MySQL/MariaDB, SQLite).")
    .option("config", { alias: "c", type: "string", describe: "Config file (default: the first of ./ormconfig.ts, .js, .mts, .cts, .cjs, ./data-source.ts, .js, .mts, ./src/data-source.ts, .js, .mts)" })
    .option("verbose", { alias: "v", type: "boolean", describe: "More detail" })
    .option("json", { type: "boolean", describe: "Print data as JSON where the command outputs data" })
    .middleware((args) => {
      // The limit applies at exit (cache-folder.js), where a bad value can only be ignored: said here instead.
      const cacheLimit = sizeLimit();
      if (cacheLimit.error !== undefined) throw new ConfigError(cacheLimit.error);
      context = new CommandContext(args as GlobalArgs);
    })
    .strictCommands()
    .strictOptions()
    .demandCommand(1, "Name a command; `retort --help` lists them.")
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new ConfigError(usageSentence(message));
    })
    .epilogue(
      "Targets: head, heads, base, a revision id or unique prefix (4+ chars), +N, -N, REV+N, REV-N, label@head; " +
        "an empty target is an error, never base.\n" +
        "Exit codes: 0 success, 1 drift (check) or errors found (lint), 2 error.\n" +
        "Only check, revision --autogenerate and test load the entity files; the other commands connect without them (entity classes the config imports run only if a revision uses the DataSource).\n" +
        "Uses your project's typeorm (0.3.20+ or 1.x) and its driver: pg, mysql2, better-sqlite3 (or sqlite3 on TypeORM 0.3).\n" +
        "Environment: DATABASE_URL overrides the connection (postgresql://, mysql://, mariadb://, sqlite:///relative.db, " +
        "sqlite:////abs/path.db; a SQLAlchemy driver part such as postgresql+asyncpg:// or mysql+pymysql:// is ignored; " +
        "percent-encode @ / ? # in the password); RETORT_CACHE_DIR moves the compile cache of config, " +
        "entity and revision files (default node_modules/.cache/retort); RETORT_NO_CACHE=1 turns it off; " +
        "RETORT_CACHE_MAX_MB caps that folder (default 512; once a day, entries unused for 14 days go, then the least recently used above the cap); " +
        "RETORT_NO_NATIVE_COMPILER=1 compiles them with TypeScript 5's program API instead of TypeScript 7's native compiler (same output, slower); " +

        "RETORT_LOCK_TIMEOUT sets the seconds upgrade, downgrade and stamp wait for another deploy's migration lock (default 300).",
    );
  registerCommands(parser, () => context!, setExit);
  try {
    await parser.parseAsync();
  } catch (error) {
    if (isUserFacing(error)) {
      process.stderr.write(`FAILED: ${scrubSecrets(finishSentence(error.message))}\n`);
      exitCode = EXIT_ERROR;
    } else {
      process.stderr.write(`${scrubSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
      exitCode = EXIT_ERROR;
    }
  } finally {
    await context?.close().catch(() => undefined);
  }
  return exitCode;
}
