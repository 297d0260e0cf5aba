/**
 * A/B micro-driver for the reference runtime's hot paths: the code of this checkout against an
 * older copy of `reference/`, alternating round by round, so that the ratio holds on a machine busy
 * with other work (absolute figures do not). CPU time per operation, medians.
 * A tool for trying a change, never a test; the figures that count come from `npm run bench`.
 *
 *   mkdir /tmp/base && git archive <rev> reference conformance/bench conformance/contract.ts | tar -x -C /tmp/base
 *   ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npx tsx conformance/bench/ab.ts --base=/tmp/base --kind=sequential --rounds=20
 *   npx tsx conformance/bench/ab.ts --base=/tmp/base --kind=copy --bytes=65536
 *
 * Kinds: `sequential` (figure 1's `await env.S.add(i, 2)`), `payload` (figure 3's echo of a
 * generated value of `--bytes`), `copy` (the copier alone: that value from one worker realm to
 * another and back, as a payload round trip copies it).
 *
 * Each round runs each side in a process of its own (a warm-up run, then the measured one): two
 * copies of the reference cannot share a process, since each adopts the host's Web classes for its
 * realms (loading/web-classes.ts), and process-wide state (Node's async_hooks) would blur them.
 *
 * Calibration on a loaded 2-core machine: with the same copier on both sides, `copy` gave ratios
 * from 0.98 to 1.13; read a difference under about 10 % as noise.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { payloadOf } from "./payload.ts";

const { values: args } = parseArgs({
  options: { base: { type: "string" }, kind: { type: "string" }, bytes: { type: "string" }, rounds: { type: "string" }, side: { type: "string" } },
});
if (!args.base) throw new Error("ab: --base=<directory holding an older reference/> is required");
const kind = args.kind ?? "sequential";
const bytes = Number(args.bytes ?? 65536);
const rounds = Number(args.rounds ?? 16);
const here = fileURLToPath(new URL("../../", import.meta.url));

/** The first of `paths` that exists under `root` (an older checkout may have the flat layout). */
function inTree(root: string, ...paths: string[]): string {
  const found = paths.find((p) => existsSync(`${root}/${p}`));
  if (found === undefined) throw new Error(`ab: none of ${paths.join(", ")} under ${root}`);
  return `${root}/${found}`;
}

/** One side: a function doing `ops` operations of the chosen kind. */
async function side(root: string): Promise<{ run: () => Promise<void>; ops: number }> {
  const ref = await import(`${root}/reference/index.ts`);
  const { benchScenario } = await import(`${root}/conformance/bench/workers.ts`);
  if (kind === "copy") {
    const { WorkerRealm } = await import(inTree(root, "reference/loading/realm.ts", "reference/realm.ts"));
    const { Copier, configureBoundary } = await import(inTree(root, "reference/copy/serialize.ts", "reference/serialize.ts"));
    const [a, b] = [new WorkerRealm("a"), new WorkerRealm("b")];
    for (const realm of [a, b]) configureBoundary(realm, { compatibilityDate: "2026-11-17", compatibilityFlags: [] });
    const copier = new Copier({});
    const value = copier.copy(JSON.parse(JSON.stringify(payloadOf(bytes))), a);
    const ops = Math.max(2, Math.round((4 * 2 ** 20) / bytes));
    return {
      ops,
      run: async () => {
        for (let i = 0; i < ops; i++) copier.copy(copier.copyArguments([value], b)[0], a);
      },
    };
  }
  const job =
    kind === "sequential"
      ? { kind, batches: 5, perBatch: 4000 }
      : { kind: "payload", value: payloadOf(bytes), batches: 5, perBatch: Math.max(2, Math.min(200, Math.round((4 * 2 ** 20) / bytes))) };
  const ops = job.batches * job.perBatch;
  return {
    ops,
    run: async () => {
      const scenario = await ref.startScenario(benchScenario("2026-11-17").workers, { onLog: () => {} });
      const response = await scenario.fetch("client", new Request("http://bench.invalid/", { method: "POST", body: JSON.stringify(job) }));
      if (!response.ok) throw new Error(`ab: the bench client answered ${response.status}: ${await response.text()}`);
      await response.text();
      await scenario.dispose();
    },
  };
}

/** In a child: one side's CPU time per operation (after a warm-up run), printed as a number. */
async function measureSide(root: string): Promise<void> {
  const { run, ops } = await side(root);
  await run();
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  process.stdout.write(`${(used.user + used.system) / ops}\n`);
}

/** One round of one side, in a fresh process running this file with `--side`. */
function roundOf(root: string): number {
  const extra = [`--kind=${kind}`, `--bytes=${bytes}`, `--side=${root}`, `--base=${args.base}`];
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...extra], { encoding: "utf8" });
  const perOp = Number(child.stdout.trim());
  if (child.status !== 0 || !Number.isFinite(perOp)) throw new Error(`ab: the side ${root} failed (exit ${child.status}):\n${child.stderr}`);
  return perOp;
}

if (args.side !== undefined) {
  await measureSide(args.side);
  process.exit(0);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const roots = { A: args.base, B: here };
const perOp: { A: number[]; B: number[] } = { A: [], B: [] };
for (let i = 0; i < rounds; i++) {
  for (const name of i % 2 ? (["B", "A"] as const) : (["A", "B"] as const)) perOp[name].push(roundOf(roots[name]));
}
const [a, b] = [median(perOp.A), median(perOp.B)];
const pairs = perOp.A.map((x, i) => (perOp.B[i]! / x).toFixed(2)).join(" ");
process.stdout.write(
  `${kind}${kind === "sequential" ? "" : ` ${bytes} B`}: base ${a.toFixed(2)} µs CPU per op, this checkout ${b.toFixed(2)} µs, ratio ${(b / a).toFixed(3)} (per round: ${pairs})\n`,
);
process.exit(0);
