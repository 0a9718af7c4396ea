/**
 * Errors the user can fix: the CLI prints their message (one sentence) and
 * exits with code 2. Anything else is a bug and prints a stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConfigError extends UserError {}

export class ConnectionError extends UserError {}

/** An entity file failed to load, or TypeORM refused its metadata: names the file and line, not the connection. */
export class EntityLoadError extends UserError {}

/** A revision's upgrade/downgrade failed; carries where. */
export class MigrationFailedError extends UserError {
  constructor(
    message: string,
    readonly revision: string,
    readonly statement?: string,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The first line of what was thrown: the sentence a message quotes (a driver's error may add a stack or SQL below). */
export function firstLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}
