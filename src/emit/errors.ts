/** A value in an op that has no TypeScript literal form (a function, a class instance, a symbol...). */
export class UnrenderableValueError extends Error {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {
    super(`Cannot write the value at ${path || "<root>"} as a TypeScript literal (${describe(value)}); ops must be plain data.`);
    this.name = "UnrenderableValueError";
  }
}

/** The revision file name would be unsafe (an id with a path separator, an empty id). */
export class InvalidRevisionFileNameError extends Error {
  constructor(
    readonly template: string,
    readonly rev: string,
    reason: string,
  ) {
    super(`Cannot build a revision file name from template "${template}" and revision "${rev}": ${reason}.`);
    this.name = "InvalidRevisionFileNameError";
  }
}

/** `writeRevisionFile` never replaces an existing revision. */
export class RevisionFileExistsError extends Error {
  constructor(readonly path: string) {
    super(`Refusing to overwrite existing revision file ${path}; pick another revision id or message.`);
    this.name = "RevisionFileExistsError";
  }
}

/** Prettier could not format the generated source (a broken project config or plugin). */
export class FormatSourceError extends Error {
  constructor(
    readonly filePath: string,
    readonly cause: unknown,
  ) {
    super(`Could not format ${filePath} with the project's prettier config: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "FormatSourceError";
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `instance of ${value.constructor?.name ?? "Object"}`;
  return typeof value;
}
