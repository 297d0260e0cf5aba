/**
 * The machine-readable index of the spec, derived from the Markdown chapters in this folder.
 *
 * The chapters are the only place a requirement is written down: this module reads them and never
 * keeps a second list, so the trace matrix and the conformance suite can never drift from the text.
 * The format it accepts is described in spec/README.md ("Requirement format"); anything that does
 * not fit is rejected with a message naming the file and line, because a requirement the index
 * silently skipped would be a requirement nobody tests.
 *
 * Run as a script (`npm run spec`, or `npm run spec -- <dir>` for another folder) it prints the
 * index as JSON.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface Requirement {
  /** Stable anchor: area prefix + name, e.g. `ENTRY-NEW-INSTANCE`. Never renumbered or reused. */
  id: string;
  title: string;
  /** The chapter's H1 title. */
  chapter: string;
  /** The chapter's file name inside the spec folder, e.g. `entrypoints.md`. */
  chapterFile: string;
  /** 1-based line of the requirement's heading in its chapter. */
  line: number;
  testable: boolean;
  /** Why the requirement cannot be checked black-box; present exactly when `testable` is false. */
  untestableReason?: string;
  /** The `Profiles:` line as written: `all`, or the expectation per named profile. */
  profiles: string;
  /** The `Source:` entries (URLs, or workerd repo path + test name), in the order written. */
  sources: string[];
}

/** A malformed spec. The message always starts with `file:line:`. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}

export const ID_PATTERN = /^[A-Z]+(-[A-Z0-9]+)+$/;

/** Profile names a `Profiles:` line may mention (spec/README.md, "Profiles"). */
export const PROFILE_NAMES: readonly string[] = ["2024-04-03", "current"];

/** Field lines a requirement may carry; the first four are mandatory. */
const REQUIRED_FIELDS = ["Source", "workerd", "Profiles", "Testable"] as const;
const OPTIONAL_FIELDS = ["Note"] as const;
type FieldName = (typeof REQUIRED_FIELDS)[number] | (typeof OPTIONAL_FIELDS)[number];
const KNOWN_FIELDS: readonly string[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS];

const HEADING = /^(#{1,6})\s+(.*?)\s*$/;
const REQUIREMENT_HEADING = /^###\s+([^:\s]+):\s+(\S.*?)\s*$/;
const FIELD_LINE = /^- ([A-Za-z]+):(?:\s+(.*?))?\s*$/;
const TESTABLE_NO = /^no\s*(?:—|–|-{1,2})\s*(\S.*)$/;

const DEFAULT_DIR = fileURLToPath(new URL(".", import.meta.url));

/** Reads every chapter (`*.md` except README.md) of `dir` and returns its requirements. */
export function loadSpec(dir: string = DEFAULT_DIR): Requirement[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".md") && name !== "README.md")
    .sort();
  const requirements: Requirement[] = [];
  const firstSeen = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    for (const requirement of parseChapter(readFileSync(path, "utf8"), file, displayPath(path))) {
      const where = `${displayPath(path)}:${requirement.line}`;
      const earlier = firstSeen.get(requirement.id);
      if (earlier !== undefined) {
        throw new SpecError(`${where}: duplicate requirement ID ${requirement.id} (first defined at ${earlier})`);
      }
      firstSeen.set(requirement.id, where);
      requirements.push(requirement);
    }
  }
  return requirements;
}

interface Draft {
  id: string;
  title: string;
  line: number;
  hasBody: boolean;
  fields: Map<FieldName, { value: string; line: number }>;
  /** The field a continuation line (indented text) extends, if the previous line was a field. */
  openField?: FieldName;
}

/** Parses one chapter's text. `where` is how errors name the file. */
export function parseChapter(text: string, chapterFile: string, where: string = chapterFile): Requirement[] {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, message: string): never => {
    throw new SpecError(`${where}:${line}: ${message}`);
  };

  let chapter: string | undefined;
  let draft: Draft | undefined;
  let inFence = false;
  const done: Requirement[] = [];

  const finish = (): void => {
    if (!draft) return;
    const d = draft;
    draft = undefined;
    if (!d.hasBody) fail(d.line, `requirement ${d.id} has no text: write one short paragraph under its heading`);
    for (const name of REQUIRED_FIELDS) {
      if (!d.fields.has(name)) fail(d.line, `requirement ${d.id} has no "- ${name}:" line`);
    }
    const field = (name: FieldName) => d.fields.get(name)!;

    const sources = field("Source").value.split(/;\s+/).map((s) => s.trim()).filter((s) => s !== "");
    if (sources.length === 0) fail(field("Source").line, `requirement ${d.id} has an empty "- Source:" line`);

    const testableText = field("Testable").value;
    let testable: boolean;
    let untestableReason: string | undefined;
    const no = TESTABLE_NO.exec(testableText);
    if (testableText === "yes") {
      testable = true;
    } else if (no) {
      testable = false;
      untestableReason = no[1];
    } else {
      return fail(field("Testable").line,
        `requirement ${d.id}: "- Testable:" must be "yes" or "no — <reason>", not "${testableText}"`);
    }

    const profiles = field("Profiles").value;
    checkProfiles(profiles, d.id, field("Profiles").line, fail);

    done.push({
      id: d.id, title: d.title, chapter: chapter!, chapterFile, line: d.line, testable,
      ...(untestableReason !== undefined ? { untestableReason } : {}),
      profiles, sources,
    });
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    if (/^\s*(```|~~~)/.test(raw)) {
      inFence = !inFence;
      if (draft) {
        if (draft.fields.size > 0) fail(lineNo, `requirement ${draft.id}: code after the field list`);
        draft.hasBody = true;
      }
      return;
    }
    if (inFence) return;

    const heading = HEADING.exec(raw);
    if (heading) {
      const level = heading[1]!.length;
      if (level === 1) {
        if (chapter !== undefined) fail(lineNo, "a chapter has exactly one H1 title; this is a second one");
        chapter = heading[2]!;
        return;
      }
      if (chapter === undefined) fail(lineNo, 'a chapter must start with its H1 title ("# Title")');
      finish();
      if (level === 3) {
        const m = REQUIREMENT_HEADING.exec(raw);
        if (!m || !ID_PATTERN.test(m[1]!)) {
          fail(lineNo, `malformed requirement heading "${raw.trim()}": expected "### AREA-NAME: Title" ` +
            `with an ID matching ${ID_PATTERN.source}`);
        }
        draft = { id: m![1]!, title: m![2]!, line: lineNo, hasBody: false, fields: new Map() };
      }
      return;
    }

    if (raw.trim() === "") {
      if (draft) draft.openField = undefined;
      return;
    }
    if (chapter === undefined) fail(lineNo, 'a chapter must start with its H1 title ("# Title")');
    if (!draft) return; // chapter prose outside any requirement

    const field = FIELD_LINE.exec(raw);
    if (field) {
      const name = field[1]!;
      if (!KNOWN_FIELDS.includes(name)) {
        fail(lineNo, `requirement ${draft.id}: unknown field "${name}:" (known: ${KNOWN_FIELDS.join(", ")})`);
      }
      const key = name as FieldName;
      if (draft.fields.has(key)) fail(lineNo, `requirement ${draft.id} has a second "- ${name}:" line`);
      draft.fields.set(key, { value: field[2] ?? "", line: lineNo });
      draft.openField = key;
      return;
    }
    if (draft.openField && /^\s{2,}\S/.test(raw)) {
      const entry = draft.fields.get(draft.openField)!;
      entry.value = `${entry.value} ${raw.trim()}`.trim();
      return;
    }
    if (draft.fields.size > 0) {
      fail(lineNo, `requirement ${draft.id}: text after the field list; put prose before the fields, ` +
        `and indent a field's continuation lines`);
    }
    draft.hasBody = true;
  });

  if (inFence) fail(lines.length, "unclosed code fence");
  if (chapter === undefined) fail(1, 'a chapter must start with its H1 title ("# Title")');
  finish();
  return done;
}

function checkProfiles(value: string, id: string, line: number, fail: (line: number, message: string) => never): void {
  if (value === "all") return;
  const named = [...value.matchAll(/`([^`]+)`:/g)].map((m) => m[1]!);
  if (named.length === 0) {
    fail(line, `requirement ${id}: "- Profiles:" must be "all" or name each profile, e.g. "\`current\`: …"`);
  }
  for (const name of named) {
    if (!PROFILE_NAMES.includes(name)) {
      fail(line, `requirement ${id}: unknown profile "${name}" (known: ${PROFILE_NAMES.join(", ")})`);
    }
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function main(dir?: string): void {
  try {
    const index = loadSpec(dir).map((r) => ({
      id: r.id, title: r.title, chapter: r.chapter, testable: r.testable,
      ...(r.testable ? {} : { untestableReason: r.untestableReason }),
    }));
    process.stdout.write(`${JSON.stringify(index, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2]);
}
