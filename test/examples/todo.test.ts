/**
 * The docs' todo app (reference/examples/todo/: `todo` with AdminEntrypoint and UserEntrypoint over
 * D1, `admin-app` and `user-app` binding them by name) answers the same on the reference as on
 * workerd, and a generated sequence of createUser / deleteUser / createTask / getTasks calls
 * through the named entrypoints leaves the same rows in both databases.
 */
import { expect } from "chai";
import fc from "fast-check";
import type { WorkerDefinition } from "../../reference/index.ts";
import { loadExample, startBoth, type BothRuntimes } from "./helpers.ts";
import { worker } from "../reference/helpers.ts";

/** Sequences tried by the property below (reported in its title). */
const SEQUENCES = 30;
const NAMES = ["aNewUser", "ada", "bob", "Zoë"];

type Command =
  | { kind: "createUser"; username: string }
  | { kind: "deleteUser"; username: string }
  | { kind: "createTask"; user: number; title: string }
  | { kind: "getTasks"; user: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("createUser" as const), username: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant("deleteUser" as const), username: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant("createTask" as const), user: fc.integer({ min: 1, max: 6 }), title: fc.string({ maxLength: 12, unit: "grapheme" }) }),
  fc.record({ kind: fc.constant("getTasks" as const), user: fc.integer({ min: 1, max: 6 }) }),
);

/** Through the front ends, so each call goes over a service binding to a named entrypoint. */
function request(step: Command): [worker: string, pathAndQuery: string] {
  switch (step.kind) {
    case "createUser":
      return ["admin-app", `/users/create?${new URLSearchParams({ username: step.username })}`];
    case "deleteUser":
      return ["admin-app", `/users/delete?${new URLSearchParams({ username: step.username })}`];
    case "createTask":
      return ["user-app", `/tasks/create?${new URLSearchParams({ user: String(step.user), title: step.title })}`];
    case "getTasks":
      return ["user-app", `/tasks?${new URLSearchParams({ user: String(step.user) })}`];
  }
}

/** The test's own window on the database: same D1 database id as the todo worker, so the same database. */
function probeWorker(todo: WorkerDefinition): WorkerDefinition {
  const source = `export default {
    async fetch(request, env) {
      const { pathname } = new URL(request.url);
      if (pathname === "/reset") {
        await env.D1.batch([env.D1.prepare("DELETE FROM tasks"), env.D1.prepare("DELETE FROM users")]);
        return new Response("reset");
      }
      const users = await env.D1.prepare("SELECT * FROM users ORDER BY id").raw({ columnNames: true });
      const tasks = await env.D1.prepare("SELECT * FROM tasks ORDER BY id").raw({ columnNames: true });
      return Response.json({ users, tasks });
    },
  };`;
  return worker("todo-probe", source, { d1Databases: todo.d1Databases });
}

describe("examples: the docs' todo app on the reference and on workerd", function () {
  let both: BothRuntimes;

  before(async function () {
    const definitions = await loadExample("todo", ["admin-app", "todo", "user-app"]);
    both = await startBoth(definitions, [probeWorker(definitions.find((d) => d.name === "todo")!)]);
  });
  after(async () => both?.dispose());

  it("GET / on admin-app creates aNewUser (the docs' call), then refuses a second one the same way", async function () {
    await both.ask("todo-probe", "/reset");
    const first = await both.ask("admin-app", "/");
    expect(first.workerd).to.include({ status: 200, body: "User created.\n" });
    expect(first.reference).to.deep.equal(first.workerd);
    const second = await both.ask("admin-app", "/");
    expect(second.workerd.status).to.equal(409);
    expect(second.reference).to.deep.equal(second.workerd);
    const state = await both.ask("todo-probe", "/state");
    expect(state.reference).to.deep.equal(state.workerd);
  });

  it(`${SEQUENCES} generated sequences of admin and user calls: same answers, same rows at the end`, async function () {
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (steps) => {
        await both.ask("todo-probe", "/reset");
        for (const step of steps) {
          const [worker, pathAndQuery] = request(step);
          const { reference, workerd } = await both.ask(worker, pathAndQuery);
          calls++;
          expect(reference, `${step.kind} ${pathAndQuery}`).to.deep.equal(workerd);
        }
        const state = await both.ask("todo-probe", "/state");
        expect(state.reference, "database end state").to.deep.equal(state.workerd);
      }),
      { numRuns: SEQUENCES, seed: 13013, endOnFailure: true },
    );
    console.log(`      todo property: ${SEQUENCES} sequences, ${calls} calls, each on both runtimes`);
  });
});
