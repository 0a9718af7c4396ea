#!/usr/bin/env node
"use strict";
/**
 * `npm run demo`: the main job on the embedded default (SQLite, no server).
 * Copies the example ledger project to a scratch folder, upgrades it, edits an
 * entity, autogenerates a revision, shows it, applies it and runs `check`.
 * Then, when a PostgreSQL server answers (DEMO_POSTGRES_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres), the same migrations folder,
 * the SQLite-generated revision included, is applied to a scratch database
 * there (created and dropped) and `check` runs against it.
 */
const { spawnSync } = require("node:child_process");
const { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } = require("node:fs");
const { join, relative } = require("node:path");

const repo = join(__dirname, "..");
const bin = join(repo, "bin", "retort.js");
// Inside the repository so that `typeorm` resolves from its node_modules.
mkdirSync(join(repo, ".tmp-projects"), { recursive: true });
const dir = mkdtempSync(join(repo, ".tmp-projects", "demo-"));
const keep = process.argv.includes("--keep");

function say(text) {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

function retort(...args) {
  return retortOn(undefined, ...args);
}

/** Runs retort in the demo project; `url` (shown without its password) is DATABASE_URL. */
function retortOn(url, ...args) {
  const shown = url ? `DATABASE_URL=${redacted(url)} ` : "";
  process.stdout.write(`$ ${shown}retort ${args.join(" ")}\n`);
  const env = { ...process.env };
  delete env.DATABASE_URL;
  if (url) env.DATABASE_URL = url;
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, stdio: "inherit", env });
  return result.status;
}

function redacted(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** The SQLite-generated files on PostgreSQL, in a scratch database created and dropped here. */
async function onPostgres() {
  const { Client } = require("pg");
  const adminUrl = process.env.DEMO_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `retort_demo_${Date.now().toString(36)}`;
  const run = async (connectionString, sql) => {
    const client = new Client({ connectionString, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const admin = (sql) => run(adminUrl, sql);
  try {
    await admin(`CREATE DATABASE "${name}"`);
  } catch (error) {
    say(`PostgreSQL at ${redacted(adminUrl)} is not reachable (${error.message || error.code}): the PostgreSQL step is skipped`);
    return;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  say(`The same migrations folder on PostgreSQL: scratch database ${name}, dropped afterwards`);
  try {
    must(retortOn(url.toString(), "upgrade", "head"), "upgrade head on PostgreSQL");
    const accounts = await run(url.toString(), "SELECT code, name, iban FROM accounts ORDER BY code");
    process.stdout.write(`accounts on PostgreSQL: ${accounts.length} rows, e.g. ${JSON.stringify(accounts[0])}\n`);
    if (accounts.length !== 6) throw new Error("the seeded accounts are missing on PostgreSQL");
    must(retortOn(url.toString(), "current"), "current on PostgreSQL");
    must(retortOn(url.toString(), "check"), "check on PostgreSQL");
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

function must(status, what) {
  // Thrown, not exited: the scratch folder and database are removed on the way out.
  if (status !== 0) throw new Error(`${what} exited with ${status}`);
}

async function demo() {
  for (const entry of ["ormconfig.ts", "entities", "migrations"]) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  say(`A copy of the example ledger app in ${relative(process.cwd(), dir)} (SQLite file ledger.db)`);
  must(retort("upgrade", "head"), "upgrade head");
  must(retort("current"), "current");
  must(retort("check"), "check");

  say("Edit entities/Account.ts: add an `iban` column and widen `name` from 120 to 200 characters");
  const accountPath = join(dir, "entities", "Account.ts");
  const account = readFileSync(accountPath, "utf8")
    .replace('@Column({ type: "varchar", length: 120 })', '@Column({ type: "varchar", length: 200 })')
    .replace(
      "  @ManyToOne(() => Account",
      '  @Column({ type: "varchar", length: 34, nullable: true })\n  iban: string | null;\n\n  @ManyToOne(() => Account',
    );
  writeFileSync(accountPath, account);

  say("retort check sees the model change (exit 1)");
  const drift = retort("check");
  if (drift !== 1) must(drift, "check (expected drift)");

  say("Autogenerate the revision");
  const before = new Set(readdirSync(join(dir, "migrations")));
  must(retort("revision", "--autogenerate", "-m", "add iban, widen account name"), "revision --autogenerate");
  const written = readdirSync(join(dir, "migrations")).find((f) => !before.has(f));
  say(`The emitted file: migrations/${written}`);
  process.stdout.write(readFileSync(join(dir, "migrations", written), "utf8"));

  say("Apply it; the seeded accounts are still there; check is clean");
  must(retort("upgrade", "head"), "upgrade head");
  const Database = require("better-sqlite3");
  const ledger = new Database(join(dir, "ledger.db"), { readonly: true });
  const accounts = ledger.prepare("SELECT code, name, iban FROM accounts ORDER BY code").all();
  ledger.close();
  process.stdout.write(`accounts after the upgrade: ${accounts.length} rows, e.g. ${JSON.stringify(accounts[0])}\n`);
  if (accounts.length !== 6) throw new Error("the seeded accounts did not survive");
  must(retort("history", "--indicate-current"), "history");
  must(retort("check"), "check");
  say("Round trip: downgrade -1 restores the previous schema, upgrade head re-applies it");
  must(retort("downgrade", "-1"), "downgrade -1");
  must(retort("upgrade", "head"), "upgrade head");
  must(retort("check"), "check");
  await onPostgres();
}

demo()
  .catch((error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    if (keep) process.stdout.write(`\n(kept ${dir})\n`);
    else rmSync(dir, { recursive: true, force: true });
  });
