"use strict";
/**
 * What a file's compiled output can depend on in the files it imports, read
 * off the source text, so that an edit of one entity does not recompile
 * every entity that reaches it through an import cycle (entities with
 * two-way relations import each other, so one cycle often holds them all).
 *
 * TypeScript's emit of a file consults another file only for the meaning of
 * the names it imports from it: whether a name is a value (import elision),
 * what a type reference serializes to in decorator metadata, a const enum's
 * values, a re-export. Four kinds of declaration fix all of that by their
 * own text:
 * - a plain class, by its heading line: a class reference serializes as the
 *   class itself whatever its members, and a class is a value;
 * - an enum whose members are literals, by its whole declaration: its
 *   members' values decide what a reference to it serializes to;
 * - an interface, by its name: a type, serialized as `Object`, whatever its
 *   members and bases;
 * - a type alias of a union of literals and primitive keywords, by its
 *   whole declaration, which names no other type.
 * An import of nothing but such names is a "plain import": the importer's
 * compile key covers those declarations, not the module's text or what the
 * module imports in turn, and the module can stand in the compiler's
 * program as `export declare class Name {}`, the enum declared again, an
 * empty interface or the alias as it is.
 *
 * Everything here errs towards "not a plain import": a scan that cannot tell
 * falls back to keying by the whole import closure, as before. Files that
 * reach into the program's global scope (`declare global`, ambient modules,
 * reference directives, scripts) make every file that imports them,
 * transitively, keyed by the whole closure.
 */

/** A static import whose clause is a default name and/or a list of names; nothing else (`* as`, side effects, re-exports) qualifies. */
const STATIC_IMPORT = /\bimport\s+(?:type\s+)?(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^{}]*)\}\s*)?from\s*(["'])([^"'\r\n]+)\3/g;
const IMPORTED_NAME = /^(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+[A-Za-z_$][\w$]*)?$/;

/**
 * target file -> the names imported from it, for each `.ts` file that
 * `source` refers to only through static imports of names by a relative
 * path or a path alias (plain imports, if the target declares those names
 * plainly). `references` are all of the file's module references
 * (ts-batch.js's moduleReferencesOf): one not covered by such an import
 * statement makes its target not plain, and so does one whose specifier
 * may name another file than its target to the compiler:
 * `namesSurely(specifier, target)` (ts-batch.js's namesSurely) tells.
 */
function plainImportCandidates(source, references, namesSurely) {
  const covered = new Map();
  for (const match of source.matchAll(STATIC_IMPORT)) {
    const names = namesOf(match[1], match[2]);
    covered.set(match.index + match[0].length, { specifier: match[4], names });
  }
  const byTarget = new Map();
  const opaque = new Set();
  for (const { specifier, target, end } of references) {
    if (!target) continue;
    const statement = covered.get(end);
    if (!statement || statement.specifier !== specifier || !statement.names || !namesSurely(specifier, target)) {
      opaque.add(target);
      continue;
    }
    const names = byTarget.get(target) || new Set();
    for (const name of statement.names) names.add(name);
    byTarget.set(target, names);
  }
  const result = {};
  for (const [target, names] of byTarget) if (!opaque.has(target)) result[target] = [...names].sort();
  return result;
}

/** The names an import clause takes from its module ("default" for the default), or undefined when the clause is not plain. */
function namesOf(defaultName, list) {
  // A default import named `type` (read as `import type from`, or as `import type X from`): the scan cannot tell which.
  if (defaultName === "type" || (defaultName === undefined && list === undefined)) return undefined;
  const names = defaultName ? ["default"] : [];
  if (list === undefined) return names;
  for (const item of list.split(",")) {
    const trimmed = item.trim();
    if (trimmed === "") continue;
    const named = IMPORTED_NAME.exec(trimmed);
    if (!named) return undefined;
    names.push(named[1]);
  }
  return names;
}

/** `import type` of a default, a list of names or a namespace: the whole statement is erased from the output. */
const TYPE_ONLY_IMPORT = /\bimport\s+type\s+(?:([A-Za-z_$][\w$]*)|\{([^{}]*)\}|\*\s*as\s+([A-Za-z_$][\w$]*))\s*from\s*(["'])([^"'\r\n]+)\4/g;
/** Anything that may be a decorator (a JSDoc tag or an address in a string too: erring towards yes). */
const DECORATOR_LIKE = /@\s*[A-Za-z_$(]/;
const MODULE_SPECIFIER = /(\bfrom|\bimport|\brequire)\s*\(?\s*(["'])[^"'\r\n]*\2/g;

/**
 * The ends of the module references in `source` (ts-batch.js's
 * moduleReferencesOf) whose statement cannot change the file's output
 * whatever the module holds: an `import type` in a file without
 * decorators. The compiler erases the statement; the module's types would
 * matter only to a decorator's `design:type`, or where a name is read as a
 * value: a const enum's member is inlined even through `import type` (an
 * error that `noCheck` lets through), so a name followed by `.` or `[`
 * anywhere in the file keeps its import counted.
 */
function typeOnlyImportEnds(source) {
  const ends = new Set();
  // A scoped package or an `@app/*` alias in a module specifier is no decorator.
  if (DECORATOR_LIKE.test(source.replace(MODULE_SPECIFIER, "$1"))) return ends;
  for (const match of source.matchAll(TYPE_ONLY_IMPORT)) {
    const locals = match[2] === undefined ? [match[1] ?? match[3]] : localNamesOf(match[2]);
    if (locals === undefined || locals.some((name) => readAsValue(source, name))) continue;
    ends.add(match.index + match[0].length);
  }
  return ends;
}

/** The local names of an import list (`a`, `b as c` -> a, c), or undefined when the list is not plain. */
function localNamesOf(list) {
  const names = [];
  for (const item of list.split(",")) {
    const trimmed = item.trim();
    if (trimmed === "") continue;
    const named = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(trimmed);
    if (!named) return undefined;
    names.push(named[2] ?? named[1]);
  }
  return names;
}

function readAsValue(source, name) {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}\\s*[.[]`).test(source);
}

/** A class declared at the top level and exported, with nothing but a simple base and interfaces in its heading. */
const CLASS_EXPORT =
  /^export\s+(default\s+)?(?:declare\s+)?(abstract\s+)?class\s+([A-Za-z_$][\w$]*)\s*(?:extends\s+[A-Za-z_$][\w$.]*\s*)?(?:implements\s+[A-Za-z_$][\w$.]*(?:\s*,\s*[A-Za-z_$][\w$.]*)*\s*)?\{/gm;
/**
 * An enum declared at the top level and exported. Not `declare enum` (an
 * ambient enum's bare members are not constants) nor `const enum` (its
 * stand-in would be an ambient const enum, which `isolatedModules` treats
 * differently).
 */
const ENUM_EXPORT = /^export\s+enum\s+([A-Za-z_$][\w$]*)\s*\{([^{}]*)\}/gm;
const STRING_LITERAL = String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'`;
/**
 * An interface declared at the top level and exported: to its importers'
 * output it is a type whatever its members and bases (its import is elided,
 * a reference to it in decorator metadata is `Object`). Type parameters are
 * kept when they are bare names.
 */
const INTERFACE_EXPORT = /^export\s+interface\s+([A-Za-z_$][\w$]*)\s*(<[^<>{}]*>)?\s*(?:extends\s[^{]*)?\{/gm;
const BARE_TYPE_PARAMETERS = /^<\s*[A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*\s*>$/;
/**
 * A type alias declared on one line at the top level and exported; plain
 * when it names no other type: a union of literals and primitive keywords
 * (`"draft" | "published"`, `string | null`), which alone decides what a
 * reference to it serializes to.
 */
const TYPE_ALIAS_EXPORT = /^export[ \t]+type[ \t]+([A-Za-z_$][\w$]*)[ \t]*=[ \t]*([^;\r\n]*?)[ \t]*(;?)[ \t]*(?:\/\/[^\r\n]*)?$/gm;
const STATEMENT_START = /^\s*(?:$|@|\/\/|\/\*|(?:export|import|declare|abstract|class|interface|type|enum|const|let|var|function|async)\b)/;
const LITERAL_TYPE = String.raw`(?:${STRING_LITERAL}|-?(?:0|[1-9]\d*)(?:\.\d+)?|true|false|null|undefined|string|number|boolean|bigint)`;
const LITERAL_UNION = new RegExp(String.raw`^(?:\|\s*)?${LITERAL_TYPE}(?:\s*\|\s*${LITERAL_TYPE})*$`);
/** One enum member: a name (or a quoted one), a literal number or string for its value or none, then a comma or the end. */
const ENUM_MEMBER = new RegExp(String.raw`\s*([A-Za-z_$][\w$]*|${STRING_LITERAL})\s*(?:=\s*(-?(?:0[xX][0-9a-fA-F]+|(?:0|[1-9]\d*)(?:\.\d+)?)|${STRING_LITERAL}))?\s*(?:,|$)`, "y");

/**
 * name (or "default") -> its declaration (a class's heading, an enum's
 * whole text), for each plain class and literal enum `source` exports: a
 * name declared or exported in any other way as well (merged with an
 * interface or namespace, exported again, shadowed) is left out, and a
 * module with `export *` or `export =` has none.
 */
function plainExportsOf(source) {
  // A module that re-exports another's names in bulk: a name it seems to declare may be the other's.
  if (/\bexport\s*(?:\*|=)/.test(source)) return {};
  const found = new Map();
  const repeated = new Set();
  // An `export` inside a namespace's braces is the namespace's, not the module's.
  let topLevel;
  const add = (key, name, declaration, at) => {
    topLevel ??= topLevelTest(source);
    if (!topLevel(at)) return;
    if (found.has(key)) repeated.add(key);
    found.set(key, { name, declaration });
  };
  for (const match of source.matchAll(CLASS_EXPORT)) add(match[1] ? "default" : match[3], match[3], match[0].replace(/\s+/g, " "), match.index);
  for (const match of source.matchAll(INTERFACE_EXPORT)) {
    add(match[1], match[1], match[2] === undefined || BARE_TYPE_PARAMETERS.test(match[2]) ? `export interface ${match[1]}${(match[2] || "").replace(/\s+/g, "")} {}` : undefined, match.index);
  }
  for (const match of source.matchAll(TYPE_ALIAS_EXPORT)) {
    // Without a semicolon the type may go on over the next line (`| "archived"`): only a new statement there ends it.
    const ended = match[3] === ";" || STATEMENT_START.test(source.slice(match.index + match[0].length));
    add(match[1], match[1], ended && LITERAL_UNION.test(match[2]) ? `export type ${match[1]} = ${match[2]};` : undefined, match.index);
  }
  for (const match of source.matchAll(ENUM_EXPORT)) {
    const members = literalMembersOf(match[2]);
    add(match[1], match[1], members ? `export enum ${match[1]} { ${members.join(", ")} }` : undefined, match.index);
  }
  if (found.size === 0) return {};
  const exportLists = EXPORT_LIST_START.test(source) ? [...source.matchAll(EXPORT_LIST)].map((m) => m[1].match(IDENTIFIER) || []).flat() : [];
  const result = {};
  for (const [key, { name, declaration }] of found) {
    if (declaration === undefined || repeated.has(key) || exportLists.includes(name) || seenOtherwise(source, name)) continue;
    if (key === "default" && ((source.match(/\bexport\s+default\b/g) || []).length !== 1 || exportLists.includes("default") || aliasedAs(source, "default"))) continue;
    result[key] = declaration;
  }
  return result;
}

/**
 * An enum body's members, each with its value spelled out as TypeScript
 * gives it (a bare member after a number is that number plus one, the first
 * is 0), or undefined when a member is not a literal (a reference, an
 * expression, a comment).
 */
function literalMembersOf(body) {
  const members = [];
  let next = 0;
  ENUM_MEMBER.lastIndex = 0;
  while (ENUM_MEMBER.lastIndex < body.length && !/^\s*$/.test(body.slice(ENUM_MEMBER.lastIndex))) {
    const at = ENUM_MEMBER.lastIndex;
    const match = ENUM_MEMBER.exec(body);
    if (!match || match.index !== at || match[0] === "") return undefined;
    const [, name, value] = match;
    if (value === undefined) {
      if (next === undefined) return undefined;
      members.push(`${name} = ${next}`);
      next += 1;
    } else {
      members.push(`${name} = ${value}`);
      // Number() reads "0x10" but not "-0x10": the sign is TypeScript's unary minus.
      const number = /^-?\d/.test(value) ? (value.startsWith("-") ? -Number(value.slice(1)) : Number(value)) : undefined;
      next = number === undefined ? undefined : number + 1;
    }
  }
  return members;
}

const EXPORT_LIST_START = /\bexport\s*(?:type\s*)?\{/;
const EXPORT_LIST = /\bexport\s*(?:type\s*)?\{([^}]*)\}/g;
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
const DECLARING = new Set(["class", "interface", "type", "enum", "namespace", "module", "function", "const", "let", "var", "import"]);
const IDENTIFIER_CHAR = /[\w$]/;

/**
 * Whether `name` is declared in `source` other than by its one plain
 * declaration (it follows a declaring keyword more than once: a merged
 * interface, a namespace, an import) or follows an `as`.
 */
function seenOtherwise(source, name) {
  let declared = 0;
  for (const before of wordsBefore(source, name)) {
    if (before === "as") return true;
    if (DECLARING.has(before)) declared++;
  }
  return declared !== 1;
}

function aliasedAs(source, name) {
  return wordsBefore(source, name).includes("as");
}

/** The word before each whole-word occurrence of `name` (empty where a symbol precedes it). */
function wordsBefore(source, name) {
  const words = [];
  for (let at = source.indexOf(name); at !== -1; at = source.indexOf(name, at + name.length)) {
    if (IDENTIFIER_CHAR.test(source[at - 1] || "") || IDENTIFIER_CHAR.test(source[at + name.length] || "")) continue;
    let end = at;
    while (end > 0 && /\s/.test(source[end - 1])) end--;
    let start = end;
    while (start > 0 && IDENTIFIER_CHAR.test(source[start - 1])) start--;
    words.push(source.slice(start, end));
  }
  return words;
}

/** A string or template literal (group 1, kept by withoutComments), or a comment. */
const COMMENT_OR_STRING = new RegExp(String.raw`(${STRING_LITERAL}|\`(?:[^\`\\]|\\.)*\`)|\/\/[^\n]*|\/\*[\s\S]*?\*\/`, "g");

let lastSource;
let lastWithoutComments;

/**
 * `source` with its comments blanked (strings kept, so that a comment marker
 * inside one is not taken for a comment). The scans of one file ask for it
 * in turn: the last answer is kept.
 */
function withoutComments(source) {
  if (source !== lastSource) {
    lastSource = source;
    lastWithoutComments = source.includes("//") || source.includes("/*") ? source.replace(COMMENT_OR_STRING, (whole, kept) => kept ?? whole.replace(/[^\n]/g, " ")) : source;
  }
  return lastWithoutComments;
}

/**
 * Whether a position of `source` is outside every pair of braces (strings,
 * template literals and comments do not count): at the top level, where a
 * declaration is the module's own. A brace left unclosed leaves what
 * follows inside.
 */
function topLevelTest(source) {
  // Only a namespace, a module or global block holds an `export` below the top level.
  if (!/\b(?:namespace|module|global)\b/.test(source)) return () => true;
  const text = source.replace(COMMENT_OR_STRING, (whole) => " ".repeat(whole.length));
  const opened = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{") {
      if (depth === 0) opened.push(i);
      depth++;
    } else if (text[i] === "}" && depth > 0) {
      depth--;
      if (depth === 0) opened.push(i);
    }
  }
  if (depth > 0) opened.push(Infinity);
  // Pairs of [open, close] positions of the top-level blocks.
  return (at) => {
    for (let k = 0; k + 1 < opened.length; k += 2) if (at > opened[k] && at < opened[k + 1]) return false;
    return true;
  };
}

const REEXPORT = /\s*export\s*(?:\*\s*from\s*(["'])([^"'\r\n]+)\1|\{([^{}]*)\}\s*from\s*(["'])([^"'\r\n]+)\4)\s*;?/y;
const REEXPORTED_NAME = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/;

/**
 * A barrel's re-exports, when `source` holds nothing but `export * from`
 * and `export { A, B as C } from` statements (and comments): { stars:
 * [specifier], named: { exported name: { specifier, name } } }; else
 * undefined. A type-only re-export is not one (a class re-exported as a type
 * is no value to its importers).
 */
function reexportsOf(source) {
  // Most modules declare something: no need to read them through.
  if (/\b(?:import|class|interface|enum|function|const|let|var)\b/.test(source)) return undefined;
  const text = withoutComments(source);
  const stars = [];
  const named = {};
  REEXPORT.lastIndex = 0;
  while (!/^\s*$/.test(text.slice(REEXPORT.lastIndex))) {
    const match = REEXPORT.exec(text);
    if (!match) return undefined;
    if (match[2] !== undefined) {
      stars.push(match[2]);
      continue;
    }
    for (const item of match[3].split(",")) {
      if (item.trim() === "") continue;
      const parts = REEXPORTED_NAME.exec(item.trim());
      if (!parts || parts[1] === "type") return undefined;
      const exported = parts[2] ?? parts[1];
      if (Object.hasOwn(named, exported)) return undefined;
      named[exported] = { specifier: match[5], name: parts[1] };
    }
  }
  return stars.length + Object.keys(named).length > 0 ? { stars, named } : undefined;
}

/** One export statement at an `export` keyword, and the name it exports (group 1, or `default`); `export const` and the like are not read. */
const EXPORT_FORMS = [
  { form: /export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|type|enum|const\s+enum|function\s*\*?|namespace)\s+([A-Za-z_$][\w$]*)/y },
  { form: /export\s+default\b/y, name: "default" },
  { form: /export\s*\*\s*as\s+([A-Za-z_$][\w$]*)/y },
  { form: /export\s+import\s+([A-Za-z_$][\w$]*)\s*=/y },
  // One declarator alone on its line, no comma in it (a second declarator could hide behind one): `export const EXTRA = 1;`.
  { form: /export\s+(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;,\n]+)?(?:=[^,;\n]*)?;[ \t]*(?=\n|$)/y },
];
const EXPORT_LIST_AT = /export\s*(?:type\s*)?\{([^{}]*)\}/y;

/**
 * Every name a module exports, or undefined when a scan cannot list them
 * all (`export *`, `export =`, an `export const` other than one
 * declarator on one line without a comma, an `export` it does not read): what
 * tells whether a barrel's `export *` of several modules makes a name
 * ambiguous.
 */
function exportedNamesOf(source) {
  const text = withoutComments(source);
  const topLevel = topLevelTest(source);
  const names = new Set();
  for (const match of text.matchAll(/\bexport\b/g)) {
    const at = match.index;
    if (!topLevel(at)) continue;
    EXPORT_LIST_AT.lastIndex = at;
    const list = EXPORT_LIST_AT.exec(text);
    if (list) {
      for (const item of list[1].split(",")) {
        if (item.trim() === "") continue;
        const parts = /^(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(item.trim());
        if (!parts) return undefined;
        names.add(parts[2] ?? parts[1]);
      }
      continue;
    }
    const known = EXPORT_FORMS.find(({ form }) => ((form.lastIndex = at), form.test(text)));
    if (!known) return undefined;
    known.form.lastIndex = at;
    names.add(known.name ?? known.form.exec(text)[1]);
  }
  return [...names].sort();
}

/**
 * Whether a module surely exports a value (a class, a non-const enum, a
 * function, a variable, a default that is no interface or type): a barrel's
 * `export * from` it is then emitted whatever else it exports (TypeScript
 * drops one that passes on types only). false when the scan cannot tell.
 */
function surelyExportsValue(source) {
  return /^export\s+(?:default\s+(?!interface\b|type\b)|(?:declare\s+)?(?:abstract\s+)?(?:class|enum|function|async\s+function|let|var|const\s+(?!enum\b)))/m.test(withoutComments(source));
}

/** The file adds to the program's global scope (or is a script, whose declarations are global): its importers cannot be keyed without it. */
function reachesGlobalScope(source) {
  if (/\bdeclare\s+(?:global|module)\b/.test(source) || /^\s*\/\/\/\s*<reference\b/m.test(source)) return true;
  return !/^\s*(?:import|export)\b/m.test(source);
}

/** A declaration at the start of a line (the top level, as files are formatted), and the name it binds. */
const TOP_LEVEL_DECLARATION = /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|(?:const\s+)?enum|type|function\*?|const|let|var|namespace|module)\s+([A-Za-z_$][\w$]*)/gm;
const IMPORT_CLAUSE = /^import\s+(?:type\s+)?([^;'"]*?)\s*(?:from\s*["']|=)/gm;

/**
 * The names a module binds at its top level: those its imports take (under
 * their local names) and those its declarations at the start of a line
 * declare. Names it binds otherwise (destructuring, a second declarator)
 * are missing, which makes a caller asking "is this name the file's own?"
 * err towards no.
 */
function topLevelNamesOf(source) {
  const names = new Set();
  for (const match of source.matchAll(TOP_LEVEL_DECLARATION)) names.add(match[1]);
  for (const [, clause] of source.matchAll(IMPORT_CLAUSE)) {
    for (const part of clause.replace(/[{}]/g, ",").split(",")) {
      const local = /(?:^|\s)([A-Za-z_$][\w$]*)\s*$/.exec(part.trim());
      if (local && local[1] !== "type") names.add(local[1]);
    }
  }
  return names;
}

/** What a plain import of `names` from a module stands in the compiler's program by (see the top of this file). */
function standInOf(names, declarations) {
  return names
    .map((name) => {
      const declaration = declarations[name];
      if (declaration.startsWith("export enum ")) return declaration.replace(/^export /, "export declare ");
      if (/^export (?:interface|type) /.test(declaration)) return declaration;
      const abstract = /\babstract\s+class\b/.test(declaration) ? "abstract " : "";
      return name === "default" ? `declare ${abstract}class __retort_default {}\nexport default __retort_default;` : `export declare ${abstract}class ${name} {}`;
    })
    .join("\n");
}

module.exports = { exportedNamesOf, plainExportsOf, plainImportCandidates, reachesGlobalScope, reexportsOf, standInOf, surelyExportsValue, topLevelNamesOf, typeOnlyImportEnds };
