/**
 * The clock every worker timer of the process runs on: timers run in the order they fall due, ties
 * in the order they were set, each once the microtasks of the one before have drained.
 *
 * Why not one host timer each: Node keeps a list per duration, and when its event loop is late it
 * runs every expired timer of one list before the next list. A 250 ms sleep set after a 5 ms timer
 * can then run first, and code it resumes sees a world where the 5 ms timer has not fired. workerd
 * runs timers in due order, and the suite's timing properties (CTX-FLOATING-CANCELLED among them)
 * assume it: observed as a rare CI failure of `ctx/floating-cancelled` on a loaded machine.
 */

interface Entry {
  readonly dueAt: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

/** A pending timer: pass it to {@link cancelTimer}. */
export type TimerEntry = Entry;

/** Pending entries as a binary min-heap on (dueAt, seq); cancelled ones are dropped when they surface. */
const heap: Entry[] = [];
let live = 0;
let seq = 0;
let host: NodeJS.Timeout | NodeJS.Immediate | undefined;
let hostDueAt = Number.POSITIVE_INFINITY;

/** Run `run` once `ms` milliseconds from now, after every timer that falls due before it. */
export function addTimer(ms: number, run: () => void): TimerEntry {
  const entry: Entry = { dueAt: performance.now() + ms, seq: ++seq, run, cancelled: false };
  push(entry);
  live++;
  if (entry.dueAt < hostDueAt) arm();
  return entry;
}

export function cancelTimer(entry: TimerEntry): void {
  if (entry.cancelled) return;
  entry.cancelled = true;
  if (--live === 0) {
    heap.length = 0;
    disarm();
  }
}

/**
 * The host woke up: run, in order, the entries due by now, each after the microtasks of the one
 * before have drained (as Node does between its own timers). Entries that fall due meanwhile wait
 * for the next wake-up, so a worker re-arming a short timer cannot keep the host from its I/O.
 */
function fire(): void {
  host = undefined;
  hostDueAt = Number.POSITIVE_INFINITY;
  batchEnd = performance.now();
  runNextDue();
}

/** Entries due by this time run back to back (see {@link fire}). */
let batchEnd = Number.NEGATIVE_INFINITY;
const SETTLED = Promise.resolve();
// A tick queued from a microtask runs once the whole microtask queue has drained.
const afterMicrotasks = () => process.nextTick(runNextDue);

function runNextDue(): void {
  dropCancelled();
  const next = heap[0];
  if (next === undefined || next.dueAt > batchEnd) return arm();
  pop();
  next.cancelled = true;
  live--;
  try {
    next.run();
  } finally {
    SETTLED.then(afterMicrotasks);
  }
}

/** Wake up for the earliest pending entry: in the next host task if it is due, else when it falls due. */
function arm(): void {
  dropCancelled();
  const next = heap[0];
  if (next === undefined) return disarm();
  if (host !== undefined && hostDueAt <= next.dueAt) return;
  disarm();
  const wait = next.dueAt - performance.now();
  hostDueAt = next.dueAt;
  host = wait <= 0 ? setImmediate(fire) : setTimeout(fire, Math.min(Math.ceil(wait), 2 ** 31 - 1));
}

function disarm(): void {
  if (host === undefined) return;
  clearTimeout(host as NodeJS.Timeout);
  clearImmediate(host as NodeJS.Immediate);
  host = undefined;
  hostDueAt = Number.POSITIVE_INFINITY;
}

function dropCancelled(): void {
  while (heap.length > 0 && heap[0]!.cancelled) pop();
}

function before(a: Entry, b: Entry): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}

function push(entry: Entry): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
    if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least]!, heap[i]!];
    i = least;
  }
}
