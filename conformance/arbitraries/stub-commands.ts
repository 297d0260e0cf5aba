/**
 * Model-based stub lifecycles: command sequences over stubs of one RpcTarget, and a model that
 * predicts what each command observes (spec/stubs.md: STUB-DISPOSE, STUB-DUP,
 * STUB-PARAM-OWNERSHIP).
 *
 * The sequence runs inside the probe worker (it cannot run from Node): the commands are sent to
 * the probe as data (`steps`), the probe's interpreter (`STUB_INTERPRETER`) runs them and records
 * one observation per command, and `check` replays the sequence with `fc.modelRun`, each
 * command comparing its recorded observation with the model's prediction. Handles are chosen as
 * `h % handles.length` at run time, by the probe and the model alike, so every command is valid in
 * every state.
 */
import * as fc from "fast-check";
import { expect } from "chai";

export type StepOp = "call" | "pipeline" | "dup" | "dispose" | "pass";
export interface Step {
  op: StepOp;
  h: number;
}

/** What the probe knows and the runtime's semantics decide, per handle. */
interface HandleModel {
  /** The runtime must treat this stub as disposed. */
  disposed: boolean;
  /** The probe disposed it itself, or passed it as an argument (the probe then never dups it). */
  explicitlyDisposed: boolean;
  passed: boolean;
}

export interface LifecycleModel {
  handles: HandleModel[];
  /** Calls the target has received. */
  count: number;
  /** STUB-PARAM-OWNERSHIP: sending a stub disposes the sender's (`2024-04-03`) or not (`current`). */
  transfer: boolean;
}

/** What the probe recorded, consumed one observation per command. */
export interface Recording {
  observations: unknown[];
  next: number;
}

export const DISPOSED_STUB_MESSAGE = "RPC stub used after being disposed.";

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function expectCount(observed: unknown, what: string, count: number): void {
  const o = observed as Outcome;
  if (!o.ok) throw new Error(`${what}: expected the target's call number ${count}, but it failed with ${String((o.error as Error)?.message ?? o.error)}`);
  expect(o.value, `${what}: the target's call number`).to.equal(count);
}

function expectDisposed(observed: unknown, what: string): void {
  const o = observed as Outcome;
  if (o.ok) throw new Error(`${what}: the stub is disposed, so this must reject with Error: ${DISPOSED_STUB_MESSAGE}, but it resolved to ${JSON.stringify(o.value)}`);
  const error = o.error as Error;
  expect(error, `${what}: rejection value`).to.be.an("error");
  expect([error.name, error.message], `${what}: the rejection`).to.deep.equal(["Error", DISPOSED_STUB_MESSAGE]);
}

abstract class LifecycleCommand implements fc.Command<LifecycleModel, Recording> {
  abstract readonly op: StepOp;
  constructor(readonly h: number) {}

  check(): boolean {
    return true;
  }

  run(model: LifecycleModel, recording: Recording): void {
    const i = this.h % model.handles.length;
    const observed = recording.observations[recording.next++];
    this.predict(model, i, observed, `step ${recording.next} (${this.op} on stub #${i})`);
  }

  protected abstract predict(model: LifecycleModel, i: number, observed: unknown, what: string): void;

  toString(): string {
    return `${this.op}(${this.h})`;
  }
}

/** `stub.inc()`: the target counts, unless the stub is disposed. */
class CallCommand extends LifecycleCommand {
  readonly op: StepOp = "call";
  protected predict(model: LifecycleModel, i: number, observed: unknown, what: string): void {
    if (model.handles[i]!.disposed) return expectDisposed(observed, what);
    expectCount(observed, what, ++model.count);
  }
}

/** `stub.self().inc()`: pipelined through a call on the stub; the same as a call. */
class PipelineCommand extends CallCommand {
  override readonly op: StepOp = "pipeline";
}

/** `env.S.use(stub)`: the callee calls the stub; the caller's stub is then kept or disposed. */
class PassCommand extends LifecycleCommand {
  readonly op: StepOp = "pass";
  protected predict(model: LifecycleModel, i: number, observed: unknown, what: string): void {
    const handle = model.handles[i]!;
    handle.passed = true;
    if (handle.disposed) return expectDisposed(observed, what);
    expectCount(observed, what, ++model.count);
    if (model.transfer) handle.disposed = true;
  }
}

/** `stub.dup()`: a new, independent handle (skipped by the probe on handles it disposed or passed). */
class DupCommand extends LifecycleCommand {
  readonly op: StepOp = "dup";
  protected predict(model: LifecycleModel, i: number, observed: unknown, what: string): void {
    const handle = model.handles[i]!;
    if (handle.explicitlyDisposed || handle.passed) return void expect(observed, what).to.equal("skipped");
    expect(observed, what).to.equal("dup");
    model.handles.push({ disposed: false, explicitlyDisposed: false, passed: false });
  }
}

/** `stub[Symbol.dispose]()`. */
class DisposeCommand extends LifecycleCommand {
  readonly op: StepOp = "dispose";
  protected predict(model: LifecycleModel, i: number, observed: unknown, what: string): void {
    expect(observed, what).to.equal("disposed");
    const handle = model.handles[i]!;
    handle.disposed = true;
    handle.explicitlyDisposed = true;
  }
}

const handleIndex = fc.nat({ max: 7 });

/** A generated stub lifecycle, with `text` listing its steps (a stable key for caching and replay). */
export interface LifecycleProgram {
  commands: Iterable<fc.Command<LifecycleModel, Recording>>;
  text: string;
}

export const lifecycleProgram: fc.Arbitrary<LifecycleProgram> = fc
  .commands(
    [
      handleIndex.map((h) => new CallCommand(h)),
      handleIndex.map((h) => new PipelineCommand(h)),
      handleIndex.map((h) => new DupCommand(h)),
      handleIndex.map((h) => new DupCommand(h)),
      handleIndex.map((h) => new DisposeCommand(h)),
      handleIndex.map((h) => new PassCommand(h)),
    ],
    { maxCommands: 14 },
  )
  .map((commands) => ({ commands, text: [...commands].map((c) => String(c)).join(",") }));

/** The steps of a program as data for the probe. */
export function programSteps(program: LifecycleProgram): Step[] {
  if (program.text === "") return [];
  return program.text.split(",").map((s) => {
    const m = /^(\w+)\((\d+)\)$/.exec(s);
    if (!m) throw new Error(`stub-commands: cannot read step "${s}"`);
    return { op: m[1] as StepOp, h: Number(m[2]) };
  });
}

/**
 * Replay `program` against the model, each command checking its recorded observation. Synchronous
 * (`fc.modelRun`): the observations are already recorded, and a test's `check` is synchronous.
 */
export function replayLifecycle(program: LifecycleProgram, observations: unknown[], transfer: boolean): void {
  expect(observations, "observations recorded by the probe, one per step").to.have.length(programSteps(program).length);
  fc.modelRun(
    () => ({ model: { handles: [{ disposed: false, explicitlyDisposed: false, passed: false }], count: 0, transfer }, real: { observations, next: 0 } }),
    program.commands,
  );
}

/**
 * The probe-side interpreter, as source: an async function `(steps, first, pass, inc, self)` that
 * runs the steps over stubs of one target and returns one observation per step. `first` is the
 * first stub; `pass(stub)` passes a stub as an argument.
 */
export const STUB_INTERPRETER = `async function runSteps(steps, first, pass, inc, self) {
  const handles = [first], disposed = [false], passed = [false], out = [];
  for (const { op, h } of steps) {
    const i = h % handles.length, stub = handles[i];
    switch (op) {
      case "call": out.push(await observe(() => stub[inc]())); break;
      case "pipeline": out.push(await observe(() => stub[self]()[inc]())); break;
      case "pass": passed[i] = true; out.push(await observe(() => pass(stub))); break;
      case "dispose": stub[Symbol.dispose](); disposed[i] = true; out.push("disposed"); break;
      case "dup":
        if (disposed[i] || passed[i]) { out.push("skipped"); break; }
        handles.push(stub.dup()); disposed.push(false); passed.push(false); out.push("dup");
        break;
    }
  }
  return out;
}`;
