/**
 * Issue #7, configuration: whatever a wrangler.toml says, loading it either works or fails with
 * one ConfigError naming the file (and the line and key where there are some), never an internal
 * stack trace, a crash or a hang. fast-check mutates a valid pair of configs (client → server's
 * named entrypoint) at three levels: the text (bytes inserted, lines dropped, duplicated or cut
 * short), the values (a key given a generated value of another type), and the meaning (an
 * unknown service, a duplicate binding, an entrypoint the target does not export, a missing or
 * broken `main`). What loads is then started, which must work or fail with a ScenarioError.
 *
 * The example-based checks of each message are in test/reference/config.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { runToExit, withinHangBound } from "./bounds.ts";
import { ConfigError, loadWranglerConfigs, startScenario } from "../../reference/index.ts";
import { locateStartFailure, MAX_VALUE_NESTING } from "../../reference/loading/config.ts";
import { ScenarioError } from "../../reference/rpc/errors.ts";

// The valid starting point: client → server's named entrypoint `Checker` (plus a default binding).
const fixture = (name: string) => readFileSync(new URL(`../fixtures/robustness/config/${name}`, import.meta.url), "utf8");
const CLIENT = fixture("client.toml");
const SERVER = fixture("server.toml");
const CLIENT_JS = fixture("index.js");
const SERVER_JS = fixture("src/server.js");

/** Far above any load or boot; only a hang reaches it. */
const HANG_BOUND_MS = 30_000;
const RUNS = 400;

/** A value of some TOML type, generated. */
const tomlValue = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Number.isInteger(n) ? `${n}.0` : String(n))),
  fc.boolean().map(String),
  fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.array(fc.integer({ min: -9, max: 9 }), { maxLength: 3 }).map((a) => `[${a.join(", ")}]`),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.integer(), { maxKeys: 2 }).map((d) => `{ ${Object.entries(d).map(([k, v]) => `${k} = ${v}`).join(", ")} }`),
  fc.date({ min: new Date("1000-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom("inf", "nan", "[]", "{}", '""', "0x1F", "1979-05-27T07:32:00Z"),
);
const identifier = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty"));

type Mutation =
  | { kind: "insert"; file: 0 | 1; at: number; text: string }
  | { kind: "drop-line" | "duplicate-line" | "truncate"; file: 0 | 1; at: number }
  | { kind: "retype"; file: 0 | 1; at: number; value: string }
  | { kind: "rename-key"; file: 0 | 1; at: number; key: string }
  | { kind: "unknown-service" | "missing-entrypoint" | "duplicate-binding"; name: string }
  | { kind: "deep-var"; depth: number; array: boolean }
  | { kind: "main-missing" | "main-syntax-error" | "main-throws" | "main-is-a-folder" };

const file = fc.constantFrom<0 | 1>(0, 1);
const at = fc.nat({ max: 10_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), file, at, text: fc.oneof(fc.string({ unit: "binary", maxLength: 4 }), fc.constantFrom("[", "]]", '"', "=", "\n[[services]]\n", "\\u", "#", "\t", "'''")) }),
  fc.record({ kind: fc.constantFrom("drop-line" as const, "duplicate-line" as const, "truncate" as const), file, at }),
  fc.record({ kind: fc.constant("retype" as const), file, at, value: tomlValue }),
  fc.record({ kind: fc.constant("rename-key" as const), file, at, key: identifier }),
  fc.record({ kind: fc.constantFrom("unknown-service" as const, "missing-entrypoint" as const, "duplicate-binding" as const), name: identifier }),
  fc.record({ kind: fc.constant("deep-var" as const), depth: fc.integer({ min: 1, max: 20 * MAX_VALUE_NESTING }), array: fc.boolean() }),
  fc.record({ kind: fc.constantFrom("main-missing" as const, "main-syntax-error" as const, "main-throws" as const, "main-is-a-folder" as const) }),
);

/** Two configs and their sources, as files; what the mutations change. */
interface Project {
  toml: [string, string];
  sources: Record<string, string>;
}

function apply(project: Project, m: Mutation): void {
  const { toml } = project;
  const lines = (i: 0 | 1) => toml[i].split("\n");
  switch (m.kind) {
    case "insert": {
      const at = m.at % (toml[m.file].length + 1);
      toml[m.file] = toml[m.file].slice(0, at) + m.text + toml[m.file].slice(at);
      return;
    }
    case "truncate":
      toml[m.file] = toml[m.file].slice(0, m.at % (toml[m.file].length + 1));
      return;
    case "drop-line":
    case "duplicate-line":
    case "retype":
    case "rename-key": {
      const all = lines(m.file);
      const i = m.at % all.length;
      if (m.kind === "drop-line") all.splice(i, 1);
      else if (m.kind === "duplicate-line") all.splice(i, 0, all[i]!);
      else if (m.kind === "retype") all[i] = all[i]!.replace(/=.*$/, `= ${m.value}`);
      else if (m.kind === "rename-key") all[i] = all[i]!.replace(/^\s*[A-Za-z0-9_-]+\s*=/, `${m.key} =`);
      toml[m.file] = all.join("\n");
      return;
    }
    case "unknown-service":
      toml[0] = toml[0].replace('service = "server"', `service = ${JSON.stringify(`x-${m.name}`)}`);
      return;
    case "missing-entrypoint":
      toml[0] = toml[0].replace('entrypoint = "Checker"', `entrypoint = ${JSON.stringify(`Not${m.name}`)}`);
      return;
    case "duplicate-binding":
      toml[0] = `${toml[0]}\n[[services]]\nbinding = "AUTH"\nservice = ${JSON.stringify(m.name)}\n`;
      return;
    case "deep-var":
      // TOML builds one table per dot: a short line that nests deep.
      toml[0] = toml[0].replace("[vars]\n", m.array ? `[vars]\nDEEP = ${"[".repeat(m.depth)}1${"]".repeat(m.depth)}\n` : `[vars]\n${"d.".repeat(m.depth)}x = 1\n`);
      return;
    case "main-missing":
      delete project.sources["src/server.js"];
      return;
    case "main-syntax-error":
      project.sources["src/server.js"] = `${project.sources["src/server.js"]}\nexport default {`;
      return;
    case "main-throws":
      project.sources["src/server.js"] = `throw new Error("top-level failure");\n${project.sources["src/server.js"]}`;
      return;
    case "main-is-a-folder":
      toml[1] = toml[1].replace('main = "src/server.js"', 'main = "src"');
      return;
  }
}

/** "Never an internal stack trace": no `at …` frames anywhere in what the user sees. */
function expectNoFrames(error: Error): void {
  expect(error.stack ?? "", "stack").not.to.match(/\n\s+at /);
  expect(error.message, "message").not.to.match(/\n\s+at /);
}

describe("robustness: fuzzed wrangler.toml configurations", function () {
  this.timeout(300_000);
  let dir: string;
  let n = 0;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "wrc-config-fuzz-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The two configs with `mutations` applied, written to a fresh folder. */
  const write = (mutations: Mutation[]) => {
    const project: Project = { toml: [CLIENT, SERVER], sources: { "index.js": CLIENT_JS, "src/server.js": SERVER_JS } };
    for (const m of mutations) apply(project, m);
    const folder = path.join(dir, String(n++));
    mkdirSync(path.join(folder, "src"), { recursive: true });
    for (const [name, text] of Object.entries(project.sources)) writeFileSync(path.join(folder, name), text);
    const files = ["client.toml", "server.toml"].map((name, i) => {
      writeFileSync(path.join(folder, name), project.toml[i]!);
      return path.join(folder, name);
    });
    return { project, files };
  };

  it(`loads or fails with one clear ConfigError/ScenarioError for every mutated config (${RUNS} runs)`, async () => {
    const tally = { configs: 0, loaded: 0, configErrors: 0, scenarioErrors: 0, withLine: 0, withKey: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        tally.configs++;
        const { project, files } = write(mutations);

        let definitions;
        try {
          definitions = await withinHangBound(loadWranglerConfigs(files, { onWarning: () => {} }), "loading", HANG_BOUND_MS);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          tally.configErrors++;
          expect(files, "the error names one of the files").to.include(error.file);
          expect(error.message.startsWith(`${error.file}${error.line === undefined ? ": " : `:${error.line}: `}`), error.message).to.equal(true);
          if (error.key !== undefined) expect(error.message).to.include(`: ${error.key}: `);
          if (error.line !== undefined && error.key !== undefined) {
            // The line is the key's own line, or the header of the table it is missing from.
            const text = project.toml[files.indexOf(error.file)]!.split(/\r?\n/)[error.line - 1] ?? "";
            const last = /([^.[\]]+)(?:\[\d+\])*$/.exec(error.key)![1]!;
            expect(text.includes(last) || /^\s*\[/.test(text), `line ${error.line} ("${text}") for key ${error.key}`).to.equal(true);
          }
          if (error.line !== undefined) tally.withLine++;
          if (error.key !== undefined) tally.withKey++;
          expect(error.message.split("\n"), "one line").to.have.length(1);
          expectNoFrames(error);
          return;
        }
        // What loads must boot, or say which worker could not start.
        try {
          const scenario = await withinHangBound(startScenario(definitions, { onLog: () => {} }), "booting", HANG_BOUND_MS);
          tally.loaded++;
          await scenario.dispose();
        } catch (error) {
          if (!(error instanceof ScenarioError)) throw error;
          tally.scenarioErrors++;
          expect(error.message).to.match(/^worker "[^"]+"/);
          expectNoFrames(error);
          // A main that throws when run is reported at its config's `main` key (as the CLI prints it).
          const located = locateStartFailure(error, definitions);
          if (mutations.some((m) => m.kind === "main-throws")) {
            expect(located, error.message).to.be.instanceOf(ConfigError);
            expect(located!.key).to.equal("main");
            expect(files).to.include(located!.file);
          }
        }
      }),
      { numRuns: RUNS },
    );
    console.log(
      `config fuzz: ${tally.configs} mutated configs, 0 crashes, 0 hangs ` +
        `(${tally.loaded} loaded, ${tally.configErrors} ConfigErrors — ${tally.withLine} with a line, ${tally.withKey} with a key — ${tally.scenarioErrors} ScenarioErrors)`,
    );
    expect(tally.configErrors, "the mutations do produce errors").to.be.greaterThan(RUNS / 4);
  });
});

/** One mistake of meaning, alone: the error names exactly the file and key it is about. */
const mistake = fc.oneof(
  fc.record({ kind: fc.constantFrom("unknown-service" as const, "missing-entrypoint" as const, "duplicate-binding" as const), name: identifier }),
  // Past 1000 nested arrays the TOML parser itself refuses the document (no key then).
  fc.oneof(
    fc.record({ kind: fc.constant("deep-var" as const), depth: fc.integer({ min: MAX_VALUE_NESTING + 1, max: 900 }), array: fc.constant(true) }),
    fc.record({ kind: fc.constant("deep-var" as const), depth: fc.integer({ min: MAX_VALUE_NESTING + 1, max: 20 * MAX_VALUE_NESTING }), array: fc.constant(false) }),
  ),
  fc.record({ kind: fc.constantFrom("main-missing" as const, "main-syntax-error" as const, "main-throws" as const, "main-is-a-folder" as const) }),
);
const EXPECTED_KEY: Record<string, [file: 0 | 1, key: string]> = {
  "unknown-service": [0, "services[0].service"],
  "missing-entrypoint": [0, "services[0].entrypoint"],
  "duplicate-binding": [0, "services[2].binding"],
  "deep-var": [0, "vars.DEEP"],
  "main-missing": [1, "main"],
  "main-syntax-error": [1, "main"],
  "main-throws": [1, "main"],
  "main-is-a-folder": [1, "main"],
};
const CLI_RUNS = 6;

describe("robustness: the reference CLI on broken configurations", function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "wrc-config-cli-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`prints one line, error: <file>:<line>: <key>: …, and exits 1 (${CLI_RUNS} generated mistakes, as a child process)`, async () => {
    let n = 0;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(mistake, async (m) => {
        const project: Project = { toml: [CLIENT, SERVER], sources: { "index.js": CLIENT_JS, "src/server.js": SERVER_JS } };
        apply(project, m);
        const folder = path.join(dir, String(n++));
        mkdirSync(path.join(folder, "src"), { recursive: true });
        for (const [name, text] of Object.entries(project.sources)) writeFileSync(path.join(folder, name), text);
        const files = ["client.toml", "server.toml"].map((name, i) => (writeFileSync(path.join(folder, name), project.toml[i]!), path.join(folder, name)));
        const { status, stderr } = await runToExit("reference/cli.ts", ["-c", files[0]!, "-c", files[1]!, "--port", "0"], HANG_BOUND_MS);
        const [file, key] = EXPECTED_KEY[m.kind]!;
        const expectedKey = m.kind === "deep-var" && !m.array ? "vars.d" : key;
        expect(status, stderr).to.equal(1);
        const lines = stderr.trim().split("\n");
        expect(lines, stderr).to.have.length(1);
        expect(lines[0]).to.match(new RegExp(`^error: ${escape(files[file]!)}:\\d+: ${escape(expectedKey)}: `));
        expect(stderr).not.to.match(/\n\s+at /);
        seen.add(m.kind);
      }),
      { numRuns: CLI_RUNS },
    );
    console.log(`config CLI: ${CLI_RUNS} broken configurations through the CLI (${[...seen].join(", ")}), 0 stack traces, 0 hangs`);
  });

  it("names the file, line and key for each kind of mistake (through the loader)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mistake, async (m) => {
        const project: Project = { toml: [CLIENT, SERVER], sources: { "index.js": CLIENT_JS, "src/server.js": SERVER_JS } };
        apply(project, m);
        const folder = path.join(dir, `l${n++}`);
        mkdirSync(path.join(folder, "src"), { recursive: true });
        for (const [name, text] of Object.entries(project.sources)) writeFileSync(path.join(folder, name), text);
        const files = ["client.toml", "server.toml"].map((name, i) => (writeFileSync(path.join(folder, name), project.toml[i]!), path.join(folder, name)));
        let error: unknown;
        try {
          const definitions = await loadWranglerConfigs(files, { onWarning: () => {} });
          const scenario = await startScenario(definitions, { onLog: () => {} }).catch((e: unknown) => {
            throw locateStartFailure(e, definitions) ?? e;
          });
          await scenario.dispose();
        } catch (e) {
          error = e;
        }
        const [file, key] = EXPECTED_KEY[m.kind]!;
        expect(error, m.kind).to.be.instanceOf(ConfigError);
        const configError = error as ConfigError;
        expect(configError.file).to.equal(files[file]);
        expect(configError.key).to.equal(m.kind === "deep-var" && !m.array ? "vars.d" : key);
        expect(configError.line, configError.message).to.be.a("number");
      }),
      { numRuns: 60 },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
