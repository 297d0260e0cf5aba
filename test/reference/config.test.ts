import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { ConfigError, loadWranglerConfigs, loadWranglerToml, startScenario } from "../../reference/index.ts";
import type { ConfigWarning } from "../../reference/index.ts";
import { locateStartFailure, MAX_VALUE_NESTING } from "../../reference/loading/config.ts";

const VALID = `name = "api"
main = "index.js"
compatibility_date = "2024-04-03"
compatibility_flags = ["nodejs_compat"]

[vars]
GREETING = "hi"
LIMITS = { max = 3, names = ["a", "b"] }

[[services]]
binding = "AUTH"
service = "auth"
entrypoint = "Checker"
props = { tenant = "t1" }

[[services]]
binding = "STORE"
service = "store"
`;

const INDEX = `import { helper } from "./lib.js";
export default { fetch() { return new Response(helper()); } };`;

describe("reference: wrangler.toml loading", () => {
  let dir: string;
  let n = 0;
  /** Write a config (and the default sources) into a fresh folder; returns the toml's path. */
  const write = (toml: string, files: Record<string, string> = {}) => {
    const folder = path.join(dir, String(n++));
    const all = { "index.js": INDEX, "lib.js": 'export const helper = () => "from lib";', ...files, "wrangler.toml": toml };
    mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(all)) writeFileSync(path.join(folder, name), text);
    return path.join(folder, "wrangler.toml");
  };
  const quiet = { onWarning: () => {} };
  const failure = async (file: string): Promise<ConfigError> => {
    try {
      await loadWranglerToml(file, quiet);
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error("expected a ConfigError");
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "reference-config-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a valid config into a WorkerDefinition with one bundled module", async () => {
    const file = write(VALID);
    const definition = await loadWranglerToml(file, quiet);
    expect(definition).to.deep.include({
      name: "api",
      main: "index.js",
      compatibilityDate: "2024-04-03",
      compatibilityFlags: ["nodejs_compat"],
      vars: { GREETING: "hi", LIMITS: { max: 3, names: ["a", "b"] } },
      services: [
        { binding: "AUTH", service: "auth", entrypoint: "Checker", props: { tenant: "t1" } },
        { binding: "STORE", service: "store" },
      ],
    });
    expect(Object.keys(definition.modules)).to.deep.equal(["index.js"]);
    expect(definition.modules["index.js"]).to.include("from lib"); // lib.js was bundled in
  });

  it("runs what it loaded", async () => {
    const file = write('name = "solo"\nmain = "index.js"\ncompatibility_date = 2024-04-03\n');
    const scenario = await startScenario([await loadWranglerToml(file, quiet)]);
    try {
      expect(await (await scenario.fetch("solo", new Request("http://x/"))).text()).to.equal("from lib");
    } finally {
      await scenario.dispose();
    }
  });

  const cases: [string, string, { line?: number; key?: string; message: string }][] = [
    ["a missing required key has no line", VALID.replace('name = "api"\n', ""), { key: "name", message: "name: required key is missing" }],
    ["a wrong type", VALID.replace('name = "api"', "name = 42"), { line: 1, key: "name", message: "1: name: expected a string, got 42" }],
    [
      "a wrong type inside the second [[services]]",
      VALID.replace('binding = "STORE"', "binding = 42"),
      { line: 17, key: "services[1].binding", message: "17: services[1].binding: expected a string, got 42" },
    ],
    [
      "a missing key inside [[services]] points at its header",
      VALID.replace('service = "store"\n', ""),
      { line: 16, key: "services[1].service", message: "16: services[1].service: required key is missing" },
    ],
    [
      "a bad flag",
      VALID.replace('["nodejs_compat"]', '["nodejs_compat", 3]'),
      { line: 4, key: "compatibility_flags[1]", message: "4: compatibility_flags[1]: expected a string, got 3" },
    ],
    [
      "a bad date",
      VALID.replace('"2024-04-03"', '"2024-13-45"'),
      { line: 3, key: "compatibility_date", message: '3: compatibility_date: expected a date "YYYY-MM-DD", got "2024-13-45"' },
    ],
    [
      "vars that are not a table",
      VALID.replace("[vars]", 'vars = 5\n[unused]'),
      { line: 6, key: "vars", message: "6: vars: expected a table, got 5" },
    ],
    [
      "a duplicate binding name",
      VALID.replace('binding = "STORE"', 'binding = "AUTH"'),
      { line: 17, key: "services[1].binding", message: '17: services[1].binding: binding name "AUTH" is already in use on env' },
    ],
    [
      "a binding that shadows a var",
      VALID.replace('binding = "STORE"', 'binding = "GREETING"'),
      { line: 17, key: "services[1].binding", message: '17: services[1].binding: binding name "GREETING" is already in use on env' },
    ],
    [
      "props that are not a table (CTX-PROPS)",
      VALID.replace('props = { tenant = "t1" }', 'props = "t1"'),
      { line: 14, key: "services[0].props", message: '14: services[0].props: expected a table, got "t1"' },
    ],
    [
      "props that are an array (CTX-PROPS)",
      VALID.replace('props = { tenant = "t1" }', "props = [1, 2]"),
      { line: 14, key: "services[0].props", message: "14: services[0].props: expected a table, got an array" },
    ],
    ["invalid TOML", VALID.replace("[vars]", "[vars"), { line: 6, message: "6: invalid TOML:" }],
    [
      "a main that does not exist",
      VALID.replace('main = "index.js"', 'main = "src/nope.js"'),
      { line: 2, key: "main", message: '2: main: file "src/nope.js" does not exist' },
    ],
  ];
  for (const [title, toml, expected] of cases) {
    it(`reports ${title} as file:line: key: problem`, async () => {
      const file = write(toml);
      const error = await failure(file);
      expect(error.message.startsWith(`${file}${expected.line === undefined ? "" : ":"}`), error.message).to.equal(true);
      expect(error.message).to.include(expected.message);
      expect(error.file).to.equal(file);
      expect(error.line).to.equal(expected.line);
      expect(error.key).to.equal(expected.key);
      expect(error.stack).not.to.include("reference/loading/config.ts");
    });
  }

  it("reports a main that does not build with esbuild's first error", async () => {
    const file = write(VALID, { "index.js": "export default {" });
    const error = await failure(file);
    expect(error.message).to.match(/:2: main: does not build: .*index\.js:1:\d+: Expected identifier but found end of file/);
  });

  it("reports a file that cannot be read", async () => {
    const missing = path.join(dir, "nowhere", "wrangler.toml");
    const error = await failure(missing);
    expect(error.message).to.equal(`${missing}: cannot read the file (ENOENT)`);
  });

  it("warns about unknown keys, with their line, and carries on", async () => {
    const warnings: ConfigWarning[] = [];
    const file = write(`${VALID.replace('name = "api"', 'name = "api"\nworkers_dev = true')}\nextra = 1\n`.replace('service = "store"', 'service = "store"\nenvironment = "x"'));
    await loadWranglerToml(file, { onWarning: (warning) => warnings.push(warning) });
    // The trailing `extra = 1` belongs to the last [[services]] table, as TOML reads it.
    expect(warnings.map((w) => [w.key, w.line])).to.deep.equal([
      ["workers_dev", 2],
      ["services[1].environment", 20],
      ["services[1].extra", 22],
    ]);
    expect(warnings[0]!.message).to.equal(`${file}:2: workers_dev: unknown key, ignored by the reference runtime`);
  });

  it("checks service targets and worker names across configs", async () => {
    const client = write('name = "client"\nmain = "index.js"\ncompatibility_date = "2024-04-03"\n[[services]]\nbinding = "S"\nservice = "ghost"\n');
    const server = write('name = "server"\nmain = "index.js"\ncompatibility_date = "2024-04-03"\n');
    let error: unknown;
    await loadWranglerConfigs([client, server], quiet).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.equal(
      `${client}:6: services[0].service: no worker named "ghost" among the loaded configs (client, server)`,
    );
    error = undefined;
    await loadWranglerConfigs([server, server], quiet).catch((e: unknown) => (error = e));
    expect((error as ConfigError).message).to.equal(`${server}:1: name: worker "server" is also defined by ${server}`);
  });

  it("checks, across configs, that a named entrypoint is exported and that a default binding has a default export", async () => {
    const server = write('name = "server"\nmain = "server.js"\ncompatibility_date = "2024-04-03"\n', {
      "server.js": 'import { WorkerEntrypoint } from "cloudflare:workers";\nexport class Named extends WorkerEntrypoint {}\n',
    });
    const client = (service: string) => write(`name = "client"\nmain = "index.js"\ncompatibility_date = "2024-04-03"\n[[services]]\nbinding = "S"\nservice = "server"\n${service}`);
    const failureOf = (files: string[]) => loadWranglerConfigs(files, quiet).then(() => undefined, (e: unknown) => e as ConfigError);
    const missing = client('entrypoint = "Nope"\n');
    expect((await failureOf([missing, server]))?.message).to.equal(
      `${missing}:7: services[0].entrypoint: worker "server" (${server}) has no export named "Nope" (its exports: Named)`,
    );
    const noDefault = client("");
    expect((await failureOf([noDefault, server]))?.message).to.equal(
      `${noDefault}:6: services[0].service: worker "server" (${server}) has no default export to bind to; name one of its exports with "entrypoint"`,
    );
    expect(await failureOf([client('entrypoint = "Named"\n'), server])).to.equal(undefined);
  });

  it(`refuses a var or props value nested more than ${MAX_VALUE_NESTING} levels deep, at its key`, async () => {
    const deep = write(`name = "d"\nmain = "index.js"\ncompatibility_date = "2024-04-03"\n[vars]\nOK = 1\n${"a.".repeat(MAX_VALUE_NESTING + 1)}b = 1\n`);
    expect((await failure(deep)).message).to.equal(`${deep}:6: vars.a: nested more than ${MAX_VALUE_NESTING} levels deep; the reference runtime refuses deeper values`);
    const props = write(VALID.replace('props = { tenant = "t1" }', `props = { t = ${"[".repeat(MAX_VALUE_NESTING + 1)}${"]".repeat(MAX_VALUE_NESTING + 1)} }`));
    expect((await failure(props)).key).to.equal("services[0].props.t");
  });

  it("locates a main that throws when it is run at the config's main key", async () => {
    const file = write('name = "boom"\nmain = "index.js"\ncompatibility_date = "2024-04-03"\n', { "index.js": 'throw new TypeError("no");\nexport default {};' });
    const definitions = await loadWranglerConfigs([file], quiet);
    const error = await startScenario(definitions, { onLog: () => {} }).then(() => undefined, (e: unknown) => e);
    const located = locateStartFailure(error, definitions);
    expect(located?.message).to.equal(`${file}:2: main: worker "boom" does not start: evaluating index.js threw TypeError: no`);
    expect(locateStartFailure(new Error("unrelated"), definitions)).to.equal(undefined);
  });

  it("never fails with anything but a ConfigError when the text is mutated (property)", async () => {
    const lines = VALID.split("\n");
    const replacements = ["42", "true", '"text"', "[1, \"a\"]", "{ a = 1 }", "2024-01-01", "-0.5", "[]"];
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("delete" as const), line: fc.nat(lines.length - 1) }),
      fc.record({ kind: fc.constant("retype" as const), line: fc.nat(lines.length - 1), value: fc.constantFrom(...replacements) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const mutated = [...lines];
        for (const m of mutations) {
          if (m.kind === "delete") mutated.splice(Math.min(m.line, mutated.length - 1), 1);
          else {
            const at = Math.min(m.line, mutated.length - 1);
            mutated[at] = mutated[at]!.replace(/=.*$/, `= ${m.value}`);
          }
        }
        const file = write(mutated.join("\n"));
        try {
          await loadWranglerToml(file, quiet);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          expect(error.message.startsWith(file)).to.equal(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});
