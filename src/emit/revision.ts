import type { Step } from "../compare/types";
import { dialectNote, groupTableDrops, renderStep, reviewComment } from "./calls";
import { renderLiteral } from "./literal";

export interface RevisionFileSpec {
  revision: string;
  /** A string, a list (merge revision) or `null` (the first revision). */
  downRevision: string | string[] | null;
  /** First line is the title; further lines follow it in the header. */
  message: string;
  createdAt: Date;
  branchLabels?: string[];
  dependsOn?: string[];
  /** `export const transactional = false` is written only when this is `false`. */
  transactional?: boolean;
  /** Undefined or empty: an empty body with a placeholder comment (plain `revision -m`). */
  upgrade?: Step[];
  downgrade?: Step[];
  /** Global REVIEW lines (findings not tied to a step), written at the top of `upgrade()`. */
  notes?: string[];
}

/**
 * A revision file before formatting: the skeleton (header, import, metadata
 * exports, the two functions) around one marker line per function body, and
 * each body as statements (a statement is its comment lines and its call; a
 * call's template literal may span lines). The bodies are spliced in as text;
 * prettier lays out the whole file.
 */
export interface RenderedRevision {
  skeleton: string;
  bodies: Record<BodyName, string[][]>;
}

export type BodyName = "upgrade" | "downgrade";

export function renderRevision(spec: RevisionFileSpec): RenderedRevision {
  const downgrade = groupTableDrops(spec.downgrade ?? []);
  return {
    skeleton: renderSkeleton(spec),
    bodies: {
      upgrade: bodyStatements(spec.upgrade, [...dialectNote([...(spec.upgrade ?? []), ...(spec.downgrade ?? [])]), ...(spec.notes ?? [])], "write your upgrade here"),
      downgrade: bodyStatements(downgrade.steps, downgrade.notes, "write your downgrade here"),
    },
  };
}

/** The unformatted TypeScript source of a revision file (see `formatRevision`). */
export function renderRevisionSource(spec: RevisionFileSpec): string {
  return revisionText(renderRevision(spec));
}

export function revisionText(rendered: RenderedRevision): string {
  return spliceBodies(rendered.skeleton, (name, indent) =>
    rendered.bodies[name]
      .flat()
      .map((line) => indent + line)
      .join("\n"),
  );
}

const BODY_MARKER = "__retort_body__";
const BODY_MARKER_LINE = new RegExp(`^([ \\t]*)// ${BODY_MARKER}:(upgrade|downgrade)(?=\\r?$)`, "gm");

/** Replaces each body's marker line of a (formatted or unformatted) skeleton with `body(name, indent)`. */
export function spliceBodies(skeleton: string, body: (name: BodyName, indent: string) => string): string {
  return skeleton.replace(BODY_MARKER_LINE, (_line, indent: string, name: BodyName) => body(name, indent));
}

/**
 * The file around the bodies, as plain text: its shape never varies, so no
 * code-generation library is needed (ts-morph, which built it before, loads
 * the TypeScript compiler: about a second of every `revision` command).
 */
function renderSkeleton(spec: RevisionFileSpec): string {
  return [
    renderHeader(spec),
    'import type { MigrationContext } from "typeorm-retort";',
    "",
    ...metadataExports(spec),
    "",
    migrationFunction("upgrade"),
    "",
    migrationFunction("downgrade"),
    "",
  ].join("\n");
}

/** Alembic's docstring: the message, then `Revision`, `Revises` (empty for the first revision) and `Created`. */
export function renderHeader(spec: Pick<RevisionFileSpec, "revision" | "downRevision" | "message" | "createdAt">): string {
  const revises = spec.downRevision === null ? "" : ([] as string[]).concat(spec.downRevision).join(", ");
  const lines = [
    ...spec.message.trim().split(/\r\n|[\r\n]/),
    "",
    `Revision: ${spec.revision}`,
    `Revises: ${revises}`,
    `Created: ${formatUtc(spec.createdAt)}`,
  ];
  const body = lines.map((line) => (line.trimEnd() ? ` * ${line.trimEnd().replace(/\*\//g, "*\\/")}` : " *"));
  return ["/**", ...body, " */"].join("\n");
}

/** `YYYY-MM-DD HH:MM:SS UTC`. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function metadataExports(spec: RevisionFileSpec): string[] {
  const values: Array<[string, unknown]> = [
    ["revision", spec.revision],
    ["downRevision", spec.downRevision],
  ];
  if (spec.branchLabels?.length) values.push(["branchLabels", spec.branchLabels]);
  if (spec.dependsOn?.length) values.push(["dependsOn", spec.dependsOn]);
  if (spec.transactional === false) values.push(["transactional", false]);
  return values.map(([name, value]) => `export const ${name} = ${renderLiteral(value, name)};`);
}

function migrationFunction(name: BodyName): string {
  return [`export async function ${name}({ op }: MigrationContext): Promise<void> {`, `    // ${BODY_MARKER}:${name}`, "}"].join("\n");
}

function bodyStatements(steps: Step[] | undefined, notes: string[] | undefined, placeholder: string): string[][] {
  const statements = (steps ?? []).map(renderStep);
  if (statements.length === 0) statements.push([`// ${placeholder}`]);
  // Global notes lead the first statement, as comments before it.
  statements[0] = [...reviewComment(notes ?? []), ...statements[0]];
  return statements;
}
