/**
 * The source scans that decide when an importer's compiled output depends
 * only on the class and enum declarations it imports
 * (src/config/import-surface.js). Every doubt must come out as "not a plain
 * import" / "not a plain declaration": the cost of a wrong "yes" is a stale
 * compiled entity.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

// Plain JavaScript modules shared with bin/retort.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const surface = require("../../src/config/import-surface.js") as {
  plainImportCandidates(source: string, references: Reference[], namesSurely: (specifier: string, target: string | undefined) => boolean): Record<string, string[]>;
  reexportsOf(source: string): { stars: string[]; named: Record<string, { specifier: string; name: string }> } | undefined;
  exportedNamesOf(source: string): string[] | undefined;
  plainExportsOf(source: string): Record<string, string>;
  reachesGlobalScope(source: string): boolean;
  standInOf(names: string[], headings: Record<string, string>): string;
  typeOnlyImportEnds(source: string): Set<number>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const batch = require("../../src/config/ts-batch.js") as {
  moduleReferencesOf(source: string, targetOf: (specifier: string) => string | undefined): Reference[];
  namesSurely(specifier: string, fileName: string, target: string | undefined, config: unknown): boolean;
  aliasReachesOtherFile(specifier: string, config: unknown, probed?: Set<string>): boolean;
};
const { moduleReferencesOf } = batch;
type Reference = { specifier: string; target: string | undefined; end: number };

const FILE = "/p/src/entities/Post.ts";
/** Every relative specifier names a .ts file beside FILE; packages name nothing local. */
const targetOf = (specifier: string) => (specifier.startsWith(".") ? resolve(dirname(FILE), specifier.replace(/\.js$/, "")) + ".ts" : undefined);
const surely = (specifier: string, target: string | undefined) => batch.namesSurely(specifier, FILE, target, undefined);
const imports = (source: string) => surface.plainImportCandidates(source, moduleReferencesOf(source, targetOf), surely);
const at = (name: string) => resolve(dirname(FILE), name) + ".ts";

describe("plain imports, seen from the importer", () => {
  test("named, renamed, type-only and default imports by a relative path name what they take", () => {
    const found = imports(`import { Column, Entity } from "typeorm";
import { User, Tag as Label, type Shelf } from "./User";
import type { Note } from "./Note";
import Base, { Mixin } from "./Base.js";
import {
  Multi,
  Line,
} from "../entities/Multi";
`);
    expect(found).toEqual({
      [at("User")]: ["Shelf", "Tag", "User"],
      [at("Note")]: ["Note"],
      [at("Base")]: ["Mixin", "default"],
      [at("Multi")]: ["Line", "Multi"],
    });
  });

  test("a module also reached any other way is not a plain import", () => {
    const found = imports(`import { A } from "./A";
export { A } from "./A";
import { B } from "./B";
const b = require("./B");
import { C } from "./C";
type Lazy = import("./C").C;
import * as D from "./D";
import "./E";
import { F } from "./F";
export * from "./F";
import G = require("./G");
import { H } from "./H.ts";
import { I, /* why */ J } from "./I";
import type from "./K";
import { L } from "./L";
`);
    expect(Object.keys(found)).toEqual([at("L")]);
  });

  test("an import is plain only when its specifier surely names the file it resolved to; a package never is", () => {
    const alias = `import { User } from "@app/User";\nimport { Post } from "@app/Post";\n`;
    const references = moduleReferencesOf(alias, (specifier) => at(specifier.slice("@app/".length)));
    // Post resolved to some other candidate than the alias's first (a later substitution, say): TypeScript may read another file.
    expect(surface.plainImportCandidates(alias, references, (specifier) => specifier === "@app/User")).toEqual({ [at("User")]: ["User"] });
    expect(imports(`import { Entity } from "typeorm";`)).toEqual({});
  });
});

describe("plain classes, enums, interfaces and literal type aliases, seen from the module", () => {
  test("exported classes, default and abstract ones, with a simple base and interfaces", () => {
    expect(
      surface.plainExportsOf(`import { Entity } from "typeorm";
@Entity()
export class User extends Base implements Named, Dated {
  name: string;
}
export abstract class Shape {}
export default class Post {}
export declare class Ambient {}
`),
    ).toEqual({
      User: "export class User extends Base implements Named, Dated {",
      Shape: "export abstract class Shape {",
      default: "export default class Post {",
      Ambient: "export declare class Ambient {",
    });
  });

  test("a name declared or exported any other way as well is not a plain class", () => {
    const found = surface.plainExportsOf(`export class Merged {}
export interface Merged { extra: number }
export class WithNamespace {}
export namespace WithNamespace { export type Inner = string }
export class Twice {}
export { Twice as Again };
export class Renamed {}
export { Other as Renamed };
export class Generic<T> {}
export class FromGeneric extends Base<string> {}
  export class Indented {}
export class Plain {}
`);
    expect(found).toEqual({ Plain: "export class Plain {" });
  });

  test("an enum whose members are literals, its values spelled out as TypeScript numbers them; any other enum is not plain", () => {
    expect(
      surface.plainExportsOf(`export enum Level { Low, High }
export enum Color { Red = "red", Blue = 'b,lue', }
export enum Offset { Before = -1, At, After = 0x10, Next }
export enum Below { Hex = -0x10, Next }
export enum Octal { A = 010 }
export enum Quoted { "first one" = 2, second }
export enum Computed { A = 1 << 2 }
export enum AfterString { A = "a", B }
export enum Referring { A = Level.Low }
export enum Commented { A = 1, // why
  B = 2 }
export const enum Inlined { A = 1 }
export declare enum Ambient { A }
`),
    ).toEqual({
      Level: "export enum Level { Low = 0, High = 1 }",
      Color: `export enum Color { Red = "red", Blue = 'b,lue' }`,
      Offset: "export enum Offset { Before = -1, At = 0, After = 0x10, Next = 17 }",
      Below: "export enum Below { Hex = -0x10, Next = -15 }",
      Quoted: 'export enum Quoted { "first one" = 2, second = 3 }',
    });
  });

  test("an interface is plain whatever its members and bases; a type alias when it is a union of literals and primitive keywords", () => {
    expect(
      surface.plainExportsOf(`export interface Address extends Base<string> { street: string }
export interface Page<T, U> { items: T[] }
export interface Bounded<T extends Base> {}
export type Status = "draft" | 'live';
export type Maybe = string | null // why
export type Flags = -1 | 2.5 | true | undefined
export type Reference = Other;
export type Shape = { a: 1 };
export type Template = \`a\${string}\`;
export type Later =
  | "a"
  | "b";
export type GoesOn = "a"
  | "b";
export type Commented = "a" /* or */ | "b";
export type Twice = "a";
export const Twice = "a";
@Entity()
export class User {}
export type Last = "z"`),
    ).toEqual({
      Address: "export interface Address {}",
      Page: "export interface Page<T,U> {}",
      Status: `export type Status = "draft" | 'live';`,
      Maybe: "export type Maybe = string | null;",
      Flags: "export type Flags = -1 | 2.5 | true | undefined;",
      User: "export class User {",
      Last: 'export type Last = "z";',
    });
  });

  test("a module that re-exports in bulk, or exports a default twice, declares no plain class for its importers", () => {
    expect(surface.plainExportsOf(`export class User {}\nexport * from "./others";\n`)).toEqual({});
    expect(surface.plainExportsOf(`export class User {}\nexport = User;\n`)).toEqual({});
    expect(surface.plainExportsOf(`export default class A {}\nconst b = 1;\nexport { b as default };\n`)).toEqual({});
    // A namespace's own exports are not the module's (a comment that says "module" is no namespace).
    expect(surface.plainExportsOf(`export namespace Shapes {\nexport class Circle {}\n}\n`)).toEqual({});
    expect(surface.plainExportsOf(`// the module of users\nexport class User {}\n`)).toEqual({ User: "export class User {" });
  });

  test("a class heading inside a comment does not hide another declaration of the name", () => {
    expect(surface.plainExportsOf(`/*\nexport class Status {\n*/\nexport enum Status { A }\n`)).toEqual({});
  });
});

test("what reaches the global scope: global and module augmentations, reference directives, scripts", () => {
  expect(surface.reachesGlobalScope(`export class A {}\ndeclare global { interface Window { a: A } }\n`)).toBe(true);
  expect(surface.reachesGlobalScope(`import "typeorm";\ndeclare module "typeorm" { interface ColumnOptions { x?: 1 } }\n`)).toBe(true);
  expect(surface.reachesGlobalScope(`/// <reference types="node" />\nexport class A {}\n`)).toBe(true);
  expect(surface.reachesGlobalScope(`const shared = 1;\n`)).toBe(true);
  expect(surface.reachesGlobalScope(`import { Entity } from "typeorm";\n@Entity() export class A {}\n`)).toBe(false);
});

test("an `import type` is erased whatever its module holds, unless the file has decorators or reads an imported name as a value", () => {
  const erased = (source: string) => {
    const ends = surface.typeOnlyImportEnds(source);
    return moduleReferencesOf(source, () => undefined).map((reference) => [reference.specifier, ends.has(reference.end)]);
  };
  const revision = `import type { MigrationContext } from "typeorm-retort";\nimport type { Seed } from "@app/seeds";\nimport { seed } from "./seed";\nexport async function upgrade({ op }: MigrationContext) { await seed(op); }\n`;
  expect(erased(revision)).toEqual([
    ["typeorm-retort", true],
    ["@app/seeds", true],
    ["./seed", false],
  ]);
  expect(erased(`import type Shelf from "./shelf";\nimport type { A as B, C } from "./ab";\nlet s: Shelf; let b: B; let c: C;\n`)).toEqual([
    ["./shelf", true],
    ["./ab", true],
  ]);
  // A const enum's member is inlined even when its enum came by `import type` (and noCheck lets the error through).
  expect(erased(`import type { Level } from "./level";\nexport const high = Level.High;\n`)).toEqual([["./level", false]]);
  expect(erased(`import type { Level as L } from "./level";\nexport const high = L["High"];\n`)).toEqual([["./level", false]]);
  expect(erased(`import type * as levels from "./level";\nlet l: levels.Level;\n`)).toEqual([["./level", false]]);
  // Where decorators may be, the module's types decide a member's design:type.
  expect(erased(`import type { Shelf } from "./shelf";\n@Entity() export class A { @Column() shelf: Shelf; }\n`)).toEqual([["./shelf", false]]);
  expect(erased(`/** @see Shelf */\nimport type { Shelf } from "./shelf";\nlet s: Shelf;\n`)).toEqual([["./shelf", false]]);
  // A default import named \`type\`, and a value import: not erased.
  expect(erased(`import type from "./t";\nimport { Shelf } from "./shelf";\nlet s: Shelf;\n`)).toEqual([
    ["./t", false],
    ["./shelf", false],
  ]);
});

test("a stand-in declares each imported class, abstract where the original is, each enum with its values, interfaces and type aliases", () => {
  const declarations = {
    User: "export class User {",
    Shape: "export abstract class Shape {",
    default: "export default abstract class Base {",
    Level: "export enum Level { Low = 0, High = 1 }",
    Page: "export interface Page<T> {}",
    Status: 'export type Status = "draft" | "live";',
  };
  expect(surface.standInOf(["Level", "Page", "Shape", "Status", "User", "default"], declarations)).toBe(
    [
      "export declare enum Level { Low = 0, High = 1 }",
      "export interface Page<T> {}",
      "export declare abstract class Shape {}",
      'export type Status = "draft" | "live";',
      "export declare class User {}",
      "declare abstract class __retort_default {}\nexport default __retort_default;",
    ].join("\n"),
  );
});

describe("barrels", () => {
  test("a module of nothing but re-exports is a barrel: its starred modules and its named re-exports", () => {
    expect(
      surface.reexportsOf(`// the entities
export * from "./user.entity";
export { Post, default as Tag, Role as UserRole } from "./post";
/* and */ export * from '../shared'`),
    ).toEqual({
      stars: ["./user.entity", "../shared"],
      named: { Post: { specifier: "./post", name: "Post" }, Tag: { specifier: "./post", name: "default" }, UserRole: { specifier: "./post", name: "Role" } },
    });
    for (const source of [`export * from "./a";\nexport const x = 1;\n`, `export { type A } from "./a";`, `export type { A } from "./a";`, `export * as a from "./a";`, `export { A, A } from "./a";`, ""]) {
      expect([source, surface.reexportsOf(source)]).toEqual([source, undefined]);
    }
  });

  test("every name a module exports, or none known when one could escape the scan", () => {
    expect(
      surface.exportedNamesOf(`import { Entity } from "typeorm";
// export const hidden = 1;
export enum Role { A }
export interface Address { a: string }
export type S = "a";
@Entity()
export class User {}
export default class X {}
export { a as b, c };
export type { T } from "./t";
export * as ns from "./ns";
export abstract class Base {}
export declare function f(): void;
export const enum CE { A }
export async function af() {}
`),
    ).toEqual(["Address", "Base", "CE", "Role", "S", "User", "af", "b", "c", "default", "f", "ns", "T"].sort());
    for (const source of [`export const a = 1, b = 2;`, `export * from "./x";`, `export = Foo;`, `const text = "export x";`, `export as namespace Lib;`]) {
      expect([source, surface.exportedNamesOf(source)]).toEqual([source, undefined]);
    }
    // What a namespace exports inside its braces is the namespace's.
    expect(surface.exportedNamesOf(`export namespace N {\nexport class X {}\n}\nexport class Y {}\n`)).toEqual(["N", "Y"]);
  });

  test("a constant is listed when it is one declarator alone on its line, without a comma a second one could follow", () => {
    expect(surface.exportedNamesOf(`export const EXTRA = 1;\nexport let mode: string = "a"; // set at start\nexport declare const Y: number;\nexport class Z {}\n`)).toEqual(["EXTRA", "Y", "Z", "mode"]);
    for (const source of [
      `export const a = f(1, 2);`,
      `export const a = "x;y", b = 2;`,
      `export const a = "x;y";`,
      `export const { a, b } = values;`,
      `export const a: Record<string, number> = {};`,
      `export const a = {\n  b: 1,\n};`,
      `export const a = 1\nexport const b = 2`,
    ]) {
      expect([source, surface.exportedNamesOf(source)]).toEqual([source, undefined]);
    }
  });
});

describe("what a specifier surely names, and what else an alias may name", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readTsconfig } = require("../../src/config/tsconfig.js") as { readTsconfig(path: string): unknown };
  const { aliasReachesOtherFile, namesSurely } = batch;
  let dir: string;
  let config: unknown;
  let importer: string;
  const file = (name: string) => join(dir, ...name.split("/"));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-alias-"));
    const files = ["src/user.entity.ts", "lib/post.entity.ts", "lib/legacy.d.ts", "src/data.json", "src/entities/index.ts", "src/entities/a.ts"];
    for (const name of [...files, "src/typed/index.ts", "src/typed.d.ts", "src/pkg/index.ts", "src/pkg/package.json"]) {
      mkdirSync(dirname(file(name)), { recursive: true });
      writeFileSync(file(name), "export {};\n");
    }
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@app/*": ["src/*", "lib/*"], "@config": ["src/config.ts"] } } }));
    config = readTsconfig(join(dir, "tsconfig.json"));
    importer = file("src/entities/a.ts");
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a path alias: the first substitution of the matching pattern, as a .ts file or a folder's index", () => {
    expect(namesSurely("@app/user.entity", importer, file("src/user.entity.ts"), config)).toBe(true);
    expect(namesSurely("src/user.entity", importer, file("src/user.entity.ts"), config)).toBe(true);
    expect(namesSurely("@app/entities", importer, file("src/entities/index.ts"), config)).toBe(true);
    // Found under the second substitution by retort's lookup, but TypeScript tries src/post.entity.tsx, .d.ts... first.
    expect(namesSurely("@app/post.entity", importer, file("lib/post.entity.ts"), config)).toBe(false);
    expect(namesSurely("@config", importer, file("src/config.ts"), config)).toBe(false);
  });

  test("a relative path: the file, a .js spelling of it, or a folder's index when nothing the compiler tries first is there", () => {
    expect(namesSurely("../user.entity", importer, file("src/user.entity.ts"), config)).toBe(true);
    expect(namesSurely("../user.entity.js", importer, file("src/user.entity.ts"), config)).toBe(true);
    expect(namesSurely("../user.entity.ts", importer, file("src/user.entity.ts"), config)).toBe(false);
    for (const specifier of [".", "./", "./index", "../entities"]) expect([specifier, namesSurely(specifier, importer, file("src/entities/index.ts"), config)]).toEqual([specifier, true]);
    // A declaration file of the folder's name comes first; a package.json may point elsewhere.
    expect(namesSurely("../typed", importer, file("src/typed/index.ts"), config)).toBe(false);
    expect(namesSurely("../pkg", importer, file("src/pkg/index.ts"), config)).toBe(false);
    expect(namesSurely("./a", importer, undefined, config)).toBe(false);
  });

  test("a declaration file, a JSON file or a folder an alias names is another file; a package is not", () => {
    const probed = new Set<string>();
    expect(aliasReachesOtherFile("@app/legacy", config, probed)).toBe(true);
    expect(probed).toEqual(new Set([join(dir, "src"), join(dir, "lib"), join(dir, "@app")]));
    expect(aliasReachesOtherFile("@app/data.json", config)).toBe(true);
    expect(aliasReachesOtherFile("src", config)).toBe(true);
    expect(aliasReachesOtherFile("typeorm", config)).toBe(false);
    expect(aliasReachesOtherFile("@app/missing", config)).toBe(false);
  });
});
