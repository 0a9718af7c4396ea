/**
 * No part of a password is ever printed, whatever shape the URL has: valid,
 * malformed, with unencoded `@`, `/`, `#`, `?`, `:`, quotes or spaces in the
 * password, with or without host, port and database. Passwords are built
 * from marker letters (Q W X Y Z K) that appear nowhere else (users, hosts
 * and databases are lower case; no message template has them), so any marker
 * in the output is a piece of a password.
 */
import fc from "fast-check";
import type { DataSourceOptions } from "typeorm";
import {
  describeTarget,
  forgetSecrets,
  parseDatabaseUrl,
  redactUrl,
  rememberSecretsOf,
  scrubSecrets,
  withoutDriverSuffix,
} from "../../src/config/url";

const MARKERS = /[QWXYZK]/;

const marker = fc.constantFrom("Q", "W", "X", "Y", "Z", "K");
const special = fc.constantFrom("@", ":", "/", "?", "#", "%", "%40", " ", '"', "'", "`", "<", ">", "\\", ";", "=", "&", "+", ",", "!", "$", "^", "|", "~", "{", "}", "[", "]", "@@", "://");
const password = fc
  .array(fc.oneof({ weight: 3, arbitrary: marker }, { weight: 2, arbitrary: special }), { minLength: 1, maxLength: 12 })
  .filter((parts) => parts.some((p) => MARKERS.test(p)))
  .map((parts) => parts.join(""));
const lower = fc.stringMatching(/^[a-j0-9_]{1,8}$/);
const scheme = fc.constantFrom("postgresql", "postgres", "mysql", "mariadb", "postgresql+asyncpg", "mysql+pymysql", "mysql+aiomysql", "oracle");
const host = fc.constantFrom("", "db", "127.0.0.1", "[::1]", "db.example.com");
const port = fc.constantFrom("", ":5432", ":1", ":abc", ":", ":99999");
const path = fc.oneof(fc.constant(""), fc.constant("/"), lower.map((d) => `/${d}`));
const query = fc.constantFrom("", "?sslmode=require", "?application_name=a@b", "#frag");

const url = fc
  .record({ scheme, user: lower, password, host, port, path, query, colon: fc.boolean(), slashes: fc.constantFrom("//", "///") })
  .map(({ scheme, user, password, host, port, path, query, colon, slashes }) => ({
    password,
    raw: `${scheme}:${slashes}${user}${colon ? ":" : "@"}${password}@${host}${port}${path}${query}`,
  }));

/** What `main` prints for a failure: the message, scrubbed. */
function printed(run: () => string): string {
  try {
    return scrubSecrets(run());
  } catch (error) {
    return scrubSecrets((error as Error).message);
  }
}

describe("a password never appears in any message", () => {
  beforeEach(() => forgetSecrets());

  test("parsing DATABASE_URL, describing the target, and a driver error echoing the URL", () => {
    fc.assert(
      fc.property(url, ({ raw, password }) => {
        forgetSecrets();
        const outputs: string[] = [];
        outputs.push(
          printed(() => {
            const options = parseDatabaseUrl(raw, "/project");
            rememberSecretsOf(options);
            const target = describeTarget(options as DataSourceOptions);
            const echoed = "url" in options ? options.url : "";
            // Drivers echo the URL, the raw text or the password itself in their errors.
            return `Cannot connect to ${target}: connect ECONNREFUSED ${echoed} (from ${raw}; password "${password}" rejected).`;
          }),
        );
        outputs.push(redactUrl(raw), redactUrl(withoutDriverSuffix(raw)));
        for (const out of outputs) {
          if (MARKERS.test(out)) throw new Error(`${JSON.stringify(raw)} printed ${JSON.stringify(out)}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test("a URL inside any message is scrubbed of its userinfo, up to the last @", () => {
    fc.assert(
      fc.property(url, fc.constantFrom(" ", "\n", ": ", ", "), ({ raw, password }, sep) => {
        forgetSecrets();
        const safe = password.replace(/[\s"'`<>]/g, "");
        fc.pre(MARKERS.test(safe));
        const text = `failed${sep}${raw.replace(password, () => safe)}${sep}retrying`;
        const out = scrubSecrets(text);
        if (MARKERS.test(out)) throw new Error(`${JSON.stringify(text)} printed ${JSON.stringify(out)}`);
      }),
      { numRuns: 3000 },
    );
  });

  test.each([
    ["postgresql://app:s3cretLeak@Leak@/app", "postgresql://app:***@/app"],
    ["postgresql://app:pa@ss@host/db", "postgresql://app:***@host/db"],
    ["postgresql://app:pa/ss@host/db", "postgresql://app:***@host/db"],
    ["postgresql://app@Leak@host/db", "postgresql://app:***@host/db"],
    ["postgresql://app@host/db", "postgresql://app@host/db"],
    ["mysql://root:@host/db", "mysql://root:***@host/db"],
  ])("redactUrl(%j) is %j", (raw, expected) => {
    expect(redactUrl(raw)).toBe(expected);
  });

  test.each([
    ["postgresql+asyncpg://u:p@h/db", { type: "postgres", url: "postgresql://u:p@h/db" }],
    ["postgresql+psycopg://u:p@h:5433/db", { type: "postgres", url: "postgresql://u:p@h:5433/db" }],
    ["postgres+psycopg2://u@h/db", { type: "postgres", url: "postgresql://u@h/db" }],
    ["mysql+pymysql://u:p@h/db", { type: "mysql", url: "mysql://u:p@h/db" }],
    ["mysql+aiomysql://u:p@h:3307/db", { type: "mysql", url: "mysql://u:p@h:3307/db" }],
    ["mariadb+mariadbconnector://u:p@h/db", { type: "mariadb", url: "mariadb://u:p@h/db" }],
    ["sqlite+aiosqlite:///app.db", { type: "better-sqlite3", database: "/project/app.db" }],
    ["sqlite+pysqlite:////abs/app.db", { type: "better-sqlite3", database: "/abs/app.db" }],
  ])("Alembic's driver suffix is ignored: %j", (raw, expected) => {
    expect(parseDatabaseUrl(raw, "/project")).toEqual(expected);
  });
});
