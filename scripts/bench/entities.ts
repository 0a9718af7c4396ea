/**
 * Synthetic projects for the benchmark: N entity classes as `.ts` files plus
 * an ormconfig.ts that both `retort` and TypeORM's CLI load.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DialectName } from "../../src/ops/types";
import type { DataSourceOptions } from "typeorm";

/** A many-to-many join table is added on every MANY_TO_MANY_EVERY-th entity. */
export const MANY_TO_MANY_EVERY = 20;

export function className(i: number): string {
  return `Bench${String(i).padStart(4, "0")}`;
}

export function tableName(i: number): string {
  return `bench_${String(i).padStart(4, "0")}`;
}

interface DialectTypes {
  timestamp: string;
  enum: string;
  float: string;
}

const TYPES: Record<DialectName, DialectTypes> = {
  postgres: { timestamp: "timestamp", enum: "enum", float: "double precision" },
  mysql: { timestamp: "datetime", enum: "enum", float: "double" },
  sqlite: { timestamp: "datetime", enum: "simple-enum", float: "real" },
};

/**
 * One entity: implicit and explicit types, a length, a numeric with
 * precision, defaults of several kinds, nullable columns, an enum, a unique
 * column, a composite index and a foreign key to the previous entity (the
 * first one points at itself); every 20th entity also owns a many-to-many.
 */
export function entitySource(i: number, n: number, dialect: DialectName): string {
  const t = TYPES[dialect];
  const self = className(i);
  const parent = className(i === 0 ? 0 : i - 1);
  const manyToMany = i % MANY_TO_MANY_EVERY === 0 && n > 1 ? className(i === n - 1 ? i - 1 : i + 1) : undefined;
  const imports = new Set([parent, manyToMany].filter((c): c is string => Boolean(c) && c !== self));
  const lines = [
    `import { Column, CreateDateColumn, Entity, Index, JoinTable, ManyToMany, ManyToOne, PrimaryGeneratedColumn } from "typeorm";`,
    ...[...imports].map((c) => `import { ${c} } from "./${c}";`),
    ``,
    `@Entity("${tableName(i)}")`,
    `@Index(["status", "createdAt"])`,
    `export class ${self} {`,
    `  @PrimaryGeneratedColumn()`,
    `  id: number;`,
    ``,
    `  @Column()`,
    `  name: string;`,
    ``,
    `  @Column({ type: "varchar", length: 120, nullable: true })`,
    `  title: string | null;`,
    ``,
    `  @Column({ type: "varchar", length: 64, unique: true })`,
    `  code: string;`,
    ``,
    `  @Column({ type: "int", default: 0 })`,
    `  quantity: number;`,
    ``,
    `  @Column({ type: "decimal", precision: 12, scale: 2, default: 0 })`,
    `  amount: string;`,
    ``,
    `  @Column({ default: true })`,
    `  active: boolean;`,
    ``,
    `  @Column({ type: "${t.enum}", enum: ["draft", "active", "archived"], default: "draft" })`,
    `  status: string;`,
    ``,
    `  @Column({ type: "text", nullable: true })`,
    `  notes: string | null;`,
    ``,
    `  @Column({ type: "${t.float}", nullable: true })`,
    `  ratio: number | null;`,
    ``,
    `  @Column({ type: "${t.timestamp}", nullable: true })`,
    `  publishedAt: Date | null;`,
    ``,
    `  @CreateDateColumn()`,
    `  createdAt: Date;`,
  ];
  if (i % 3 === 0) lines.push(``, `  @Column({ type: "bigint", nullable: true })`, `  externalId: string | null;`);
  if (i % 4 === 0) lines.push(``, `  @Column({ type: "varchar", length: 32, default: "n/a" })`, `  label: string;`);
  lines.push(``, `  @ManyToOne(() => ${parent}, { nullable: true, onDelete: "SET NULL" })`, `  parent: ${parent} | null;`);
  if (manyToMany) lines.push(``, `  @ManyToMany(() => ${manyToMany})`, `  @JoinTable()`, `  related: ${manyToMany}[];`);
  lines.push(`}`, ``);
  return lines.join("\n");
}

/** `importing`: the config imports each class and lists it (`entities: [Bench0000, ...]`) instead of a glob. */
function configSource(options: DataSourceOptions, importing?: number): string {
  const classes = importing === undefined ? [] : Array.from({ length: importing }, (_, i) => className(i));
  return [
    `import "reflect-metadata";`,
    `import { DataSource } from "typeorm";`,
    ...classes.map((name) => `import { ${name} } from "./entities/${name}";`),
    ``,
    `export default new DataSource({`,
    `  ...${JSON.stringify(options)},`,
    importing === undefined ? `  entities: [__dirname + "/entities/*.ts"],` : `  entities: [${classes.join(", ")}],`,
    `} as any);`,
    ``,
    `export const retort = { migrationsDir: "migrations" };`,
    ``,
  ].join("\n");
}

// What `typeorm-ts-node-commonjs` needs to compile decorators; ts-node reads it from the project.
const TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    module: "commonjs",
    strict: false,
    esModuleInterop: true,
    skipLibCheck: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
  },
};

/** Writes a fresh project into `dir`: entities/, an empty migrations/, ormconfig.ts and tsconfig.json. */
export function writeProject(dir: string, n: number, dialect: DialectName, options: DataSourceOptions, config: { importing?: boolean } = {}): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "entities"), { recursive: true });
  mkdirSync(join(dir, "migrations"), { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, "entities", `${className(i)}.ts`), entitySource(i, n, dialect));
  writeFileSync(join(dir, "ormconfig.ts"), configSource(options, config.importing ? n : undefined));
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
}
