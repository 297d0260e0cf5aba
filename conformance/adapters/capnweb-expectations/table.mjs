// Builds conformance/expectations/capnweb.json and capnweb-string.json (schema 2) from runs:
//   node conformance/adapters/capnweb-expectations/table.mjs <results.json>...
// Each entry: our reason (REASONS below, naming the divergences of capnweb.md), the checks that
// failed in those runs, a few wrong observations as evidence, the profiles it failed under, and
// inputDependent when some run of it passed. A failing test without a reason here stops the build.
import { readFileSync, writeFileSync } from "node:fs";

const D1 = "D1: a member capnweb cannot call is refused with TypeError \"'name' is not a function.\", not Workers' \"The RPC receiver does not implement the method\"";
const D27 = "D27 (string wire): JSON has no negative zero, so a -0 in the value arrives as 0";
const D30 = "D30, likely capnweb bug (capnweb-repros/prototype-named-keys-dropped.mjs): an own property named like an Object.prototype member (toString, valueOf…) is dropped in transit";
const BASE_REASONS = {
  "entrypoints/fetch-missing-handler": "D26, adapter artefact: binding.fetch() is an emulated RPC call, and without a fetch method capnweb's TypeError comes back instead of Workers' Error",
  "visibility/private-members": D1,
  "visibility/unknown-method": D1,
  "visibility/own-static-env-ctx": D1 + "; own properties are refused the same way",
  "visibility/name-fuzz": D1 + "; D29: the root stub has no then/catch/finally (typeof is undefined, Workers gives a function)",
  "visibility/reserved": "D2: capnweb has no reserved method names; webSocketMessage, alarm… are looked up like any other method",
  "visibility/prototype-getter": "D5: a getter whose value is a promise is not awaited; capnweb refuses to serialize the Promise",
  "bindings/entrypoint-isolation": D1,
  "bindings/default-object": D1 + " (a method on the handler object's prototype)",
  "bindings/passed-over-rpc": "D14, likely capnweb bug (capnweb-repros/response-through-forwarded-stub.mjs): a Response coming back through a stub forwarded over a second session fails to serialize its body stream",
  "http-values/blob": "D6: a File that cannot be sent makes the call throw synchronously instead of rejecting; D7: capnweb's TypeError, not a DataCloneError",
  "http-values/bodies-moved": "D12, likely capnweb bug (capnweb-repros/used-body-never-settles.mjs): a used body as an argument never settles, as a result its body never ends (timeouts); D13: a sent body is not locked on the sender's side; D6/D8: a Map holder is refused synchronously",
  "http-values/platform-objects-refused": "D6: refused platform objects make the call throw synchronously; D7: capnweb's TypeError instead of a DataCloneError",
  "serialization/structured-clone-table": "D8: Map, Set, RegExp… are not serializable in capnweb (and D6: the call throws synchronously); D28: a DataView or a typed array other than Uint8Array arrives with only its own bytes as its buffer; D16: shared references and cycles are not kept (messages are trees); D39: an array's holes arrive as undefined; D40: an Error with a custom name arrives named Error, and keeps own properties Workers' 2024-04-03 format drops",
  "serialization/rejected-values": "D6/D7: unsendable values make the call throw synchronously, with capnweb's TypeError rather than a DataCloneError",
  "serialization/own-enumerable": "D11, likely capnweb bug (capnweb-repros/getters-run-twice.mjs): each getter of a sent object runs twice",
  "serialization/entrypoint-refused": "D25, adapter artefact: the adapter's WorkerEntrypoint extends capnweb's RpcTarget, so an entrypoint instance crosses by reference instead of being refused; D6/D7/D8 where the holder is a Map",
  "serialization/copy-table-both-ways": "D16: capnweb sends trees, so cycles fail ('Serialization exceeded maximum allowed depth'); D28: a DataView arrives with only its own bytes as its buffer",
  "serialization/rpc-thenables-refused": "D15: capnweb accepts an RpcPromise in a message and substitutes its resolution (documented); Workers refuses it; D6/D7/D8 where the holder is a Map",
  "calls/promise-dispose": "D18: after a call's promise is disposed, capnweb throws 'Attempted to use RPC stub after it has been disposed.' where Workers rejects",
  "stubs/rpctarget": "D4: an RpcTarget's instance field is refused with capnweb's own message (the refusal is documented)",
  "stubs/rpctarget-hidden": D1,
  "stubs/rpcstub-dispose": "D20: new RpcStub(plain object) never runs the object's Symbol.dispose; D19: a disposed stub's error says 'Attempted to use RPC stub after it has been disposed.'",
  "stubs/rpcstub-refused": "D20: new RpcStub(Symbol()/null/primitive) makes a stub instead of throwing",
  "stubs/reserved-dup": "D3: dup on a call's result is capnweb's local dup(), not a refused remote call",
  "stubs/target-errors": "D9: errors crossing capnweb are not marked remote",
  "stubs/lifecycle-model": "D17: capnweb's stub ownership (a callee's parameter stubs are disposed when its call returns) differs from Workers'",
  "stubs/result-dispose": "D19: using a disposed stub throws synchronously instead of rejecting",
  "stubs/params-released": "D17: stubs a callee received are disposed when its call returns (documented), so one kept for later fails",
  "stubs/same-target": "D16: one stub passed twice in a call arrives as two stubs (no aliases)",
  "pipelining/non-object": D1 + " (a call pipelined on a primitive)",
  "pipelining/call-result": "D24: calling a call's thenable rejects with capnweb's \"'' is not a function.\"",
  "pipelining/after-resolve": "D24: pipelining on a settled primitive fails with another error than Workers' \"Can't pipeline on RPC that did not return an object\"",
  "pipelining/depth-limit": "D23: capnweb reads one name more of a long pipelined path (66) than Workers (65) before refusing",
  "pipelining/path-non-plain": "D8: pipelining into a non-plain value (RegExp, Date…) fails with capnweb's own message or resolves undefined",
  "pipelining/unsendable-result": "D7: an unsendable result rejects with TypeError 'Cannot serialize value', not a DataCloneError",
  "errors/thrown-errors": "D9: a thrown Error arrives without remote: true",
  "errors/non-error-throws": "D9: a thrown non-Error value arrives without remote: true",
  "errors/constructor-and-getter": "D9: an error from the (emulated) per-call constructor or from a getter arrives without remote: true",
  "errors/dom-exceptions": "D10: a thrown DOMException arrives as a plain Error",
  "bindings/named-object": "D9: an error thrown by a handler of a named object arrives without remote: true",
  "bindings/fetch-arguments": "D31, adapter artefact: the adapter gives a binding no connect(); capnweb sends it as a call to a method named connect, refused as not a function, where Workers validates the address",
  "http-values/stream-strings": "D32: capnweb carries a stream's chunks as they are, so string chunks arrive as strings and the receiving Node Response refuses them; Workers sends a string chunk as its UTF-8 bytes",
  "serialization/proxy": "D33: capnweb copies a Proxy by what it looks like (a plain-object Proxy arrives as a copy of its keys, an array Proxy as an array, a Map Proxy is refused with capnweb's TypeError); Workers passes a Proxy of a plain object or function by reference and refuses the others with a DataCloneError",
  "stubs/result-shape": "D34: the Symbol.dispose capnweb puts on a call's result is a function named \"value\", Workers' has an empty name; D8: a Map result is refused",
  "stubs/echo": "D17: the stub the callee received is disposed when its call returns, so the stub it echoed back is already dead",
  "stubs/surface": "D35: every capnweb stub is an instanceof RpcStub, answers true to `in` for any name and has typeof function, where Workers' property/thenable results are not RpcStubs, a function/RpcTarget stub answers false to `in` for names it lacks and a binding is typeof object; D29: no then on a target's stub",
  "errors/thrown-text": "D36: a thrown value capnweb cannot serialize (a RegExp, a class instance with a toString) makes the call reject with capnweb's TypeError \"Cannot serialize value\", where Workers sends the value (a copy, a RegExp) with remote: true",
  "errors/uninspectable": "D37: a thrown Proxy whose traps throw makes the call reject with the trap's own error, where Workers rejects with Error \"Promise will never complete.\"",
  "errors/runtime-error-realm": "D7: a refused result rejects with capnweb's TypeError rather than a DataCloneError; D1: an unknown method's error has capnweb's message",
  "errors/odd-errors": "D38: an Error whose name or message is a number is sent as it is and the receiver rejects the message as malformed (TypeError \"unknown special value\"); Workers sends the number as the name (current) or an empty message",
  "entrypoints/instanceof": "D41, adapter artefact: the adapter's WorkerEntrypoint constructor accepts any arguments, where Workers' refuses a ctx or env that is not an object with TypeError \"Failed to construct 'WorkerEntrypoint'\"",
  "entrypoints/string-tag": "D43, adapter artefact: the adapter's WorkerEntrypoint has no Symbol.toStringTag (Object.prototype.toString gives [object Object], Workers [object WorkerEntrypoint]); D42: capnweb's RpcTarget has none either (Workers: RpcTarget)",
  "ctx/exports-loopback": "D44, adapter artefact: the emulated ctx.exports holds capnweb session stubs, not callable loopback bindings, so ctx.exports.X({ props }) is sent as a call to the session's root and refused with \"'' is not a function.\"",
  "ctx/floating-cancelled": "D45, adapter artefact: capnweb runs in Node with no request context, so a timer a call leaves behind still fires after the call has returned; Workers cancels it with the request",
  "ctx/hung-cancelled": "D56, adapter artefact: capnweb runs in Node with no request context, so nothing notices that a call's result can never settle: the caller waits forever (the probe gives up after 3 s), where Workers cancels the call with its plain \"The Workers runtime canceled this request…\" Error",
  "bindings/not-entrypoint": "D46, adapter artefact: a binding naming an export that is not an entrypoint hands capnweb a session whose main object it cannot export, and every call, property read and fetch rejects with TypeError \"RPC stub points at a non-serializable type.\"; Workers rejects with Error \"internal error; reference = …\"",
  "bindings/fetch-status-text": "D47: a Response made by clone() cannot be sent (\"Cannot serialize value: [object ReadableStream]\"): capnweb recognises a stream by its exact prototype and Node's cloned body is a ReadableStream subclass; D48, adapter artefact: through the emulated fetch a Response without a statusText arrives with \"\" where Workers' HTTP layer fills the standard reason phrase (\"No Content\", \"Client Error\"…)",
  "bindings/connect-socket": "D31, adapter artefact: the adapter gives a binding no connect() (capnweb has no sockets); capnweb sends it as a call to a method named connect, so the result is an RpcPromise, not a Socket, and opened/closed reject with \"'connect' is not a function.\"",
  "stubs/surface-classes": "D49: capnweb's stubs are proxies over a function class of their own: a deeper prototype chain with no own prototype object, a constructor that `new` accepts (Workers: TypeError \"Illegal constructor\"), JSON.stringify that calls toJSON on the remote side twice and gives undefined, and a binding that is an RpcStub",
  "stubs/disposed-sent": "D50: dup() on a disposed stub returns a new stub instead of throwing Workers' Error",
  "stubs/spent-stub-forwarded": "D19: a spent stub's error says 'Attempted to use RPC stub after it has been disposed.' where Workers says 'RPC stub used after being disposed.'; D50: dup() on a disposed stub returns a new stub instead of throwing Workers' Error; D17: capnweb does not transfer a stub sent as an argument (Workers' 2024-04-03 does), so a stub sent once still works when forwarded",
  "errors/value-stack": "D51: capnweb does not send the sender's stack (only through onSendError), and the error that arrives carries the receiver's own frames (capnweb's deserializer); Workers gives String(error) with no frames (current) or the sender's stack text exactly, undefined when the sender deleted it (2024-04-03)",
  "errors/dom-exception-tag": "D10: a thrown DOMException arrives as a plain Error (tag [object Error], not instanceof DOMException); D52, adapter artefact (Node, not capnweb): under 2024-04-03 a worker's own DOMException has Node's tag [object DOMException], where workerd's is [object Object]",
  "limits/wire-size": "D21: no 32 MiB limit on the MessagePort transport; the string wire limits the JSON text, which lands elsewhere than Workers' serialized size, and refuses it with capnweb's TypeError \"Incoming message exceeds maximum size of 33554432 UTF-16 code units.\", not Workers' plain Error",
  "limits/message-size": "D21: the MessagePort transport has no 32 MiB limit; the string wire limits JSON text, not the value's bytes. On the string wire a case near 32 MiB takes seconds to encode as JSON, so on a loaded machine it can outlast the adapter's probe limit (a timeout; a 100 s limit lets it finish)",
  "limits/string-size": "D21: the MessagePort transport has no 32 MiB limit on strings; the string wire counts JSON text in UTF-16 code units, so strings near 32 MiB land on the wrong side. On the string wire a case near 32 MiB takes seconds to encode as JSON, so on a loaded machine it can outlast the adapter's probe limit (a timeout; a 100 s limit lets it finish)",
  "limits/deep-nesting": "D22: capnweb's maximum serialization depth (DEFAULT_MAX_DEPTH, 256 with its own framing) is below what Workers copies. On the string wire a case near 32 MiB takes seconds to encode as JSON, so on a loaded machine it can outlast the adapter's probe limit (a timeout; a 100 s limit lets it finish)",
};

const NEGATIVE_ZERO = /expected -0, got 0|to deeply equal -0|to equal -0/;
const NEGATIVE_ZERO_TEXT = ["expected -0, got 0", "to deeply equal -0", "to equal -0"];
const PROTO_NAMES = ["toString", "valueOf", "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__", "__lookupSetter__"];
const PROTO_KEY = new RegExp(`first difference at \\S*\\.(${PROTO_NAMES.join("|")}): expected .*, got \\(missing\\)`);
const PROTO_KEY_TEXT = PROTO_NAMES.map((n) => `.${n}: expected`);
// --keep: add to the committed files instead of replacing them (the runs they were built from are
// not kept): an entry keeps the checks, evidence and profiles it had, and gains this run's.
const keep = process.argv.includes("--keep");
const runs = process.argv.slice(2).filter((a) => a !== "--keep").map((f) => JSON.parse(readFileSync(f, "utf8")));
const SEEN_ON = "capnweb 0.12.0 (Node 20.20.2)";
const missing = new Set();
const built = {};
for (const name of ["capnweb", "capnweb-string"]) {
  const mine = runs.filter((r) => r.adapter.name === name);
  if (!mine.length) continue;
  // Reasons found for input-dependent divergences belong to this variant only.
  const REASONS = { ...BASE_REASONS };
  const GENERIC = new Set();
  const entries = {};
  const passedIn = {};
  for (const run of mine) {
    for (const t of run.tests) {
      if (t.outcome === "pass" || t.outcome === "unexpectedPass") {
        (passedIn[t.id] ??= new Set()).add(run.profile.name);
        continue;
      }
      if (!["fail", "expectedFail", "timeout"].includes(t.outcome)) continue;
      // A test that ran out of the per-test deadline on a loaded machine says nothing about capnweb.
      if (t.outcome === "timeout" && /per-test deadline/.test(t.message ?? "") && !t.failedChecks?.length) continue;
      // Input-dependent divergences that can show in any test with generated values: a -0 that
      // arrived as 0 (string wire, D27) and a dropped key named like an Object.prototype member (D30).
      const isNegZero = (f) => name === "capnweb-string" && NEGATIVE_ZERO.test(f.message);
      const isProtoKey = (f) => PROTO_KEY.test(f.message);
      const generic = t.failedChecks?.length && t.failedChecks.every((f) => isNegZero(f) || isProtoKey(f));
      if ((!REASONS[t.id] || GENERIC.has(t.id)) && generic) {
        const kinds = [(t.failedChecks.some(isNegZero) || REASONS[t.id]?.includes("D27")) && D27, (t.failedChecks.some(isProtoKey) || REASONS[t.id]?.includes("D30")) && D30];
        REASONS[t.id] = kinds.filter(Boolean).join("; and ");
        GENERIC.add(t.id);
      }
      if (t.failedChecks?.some(isProtoKey)) (entries[t.id] ??= { checks: new Set(), observed: new Set(), profiles: new Set() }).protoKey = true;
      if (!REASONS[t.id]) {
        missing.add(`${name}: ${t.id}`);
        continue;
      }
      const e = (entries[t.id] ??= { checks: new Set(), observed: new Set(), profiles: new Set() });
      e.profiles.add(run.profile.name);
      if (t.outcome === "timeout") e.checks.add("the probe answers");
      for (const f of t.failedChecks ?? []) {
        e.checks.add(f.check);
        if (e.observed.size < 4) e.observed.add(f.message.split("\n")[0].replace(/\s+/g, " ").slice(0, 200));
      }
      if (!t.failedChecks?.length && t.check) e.checks.add(t.check);
      if (name === "capnweb-string" && t.failedChecks?.some((f) => NEGATIVE_ZERO.test(f.message))) e.negativeZero = true;
    }
  }
  const profilesSeen = new Set(mine.map((r) => r.profile.name));
  const expectedFailures = {};
  for (const id of Object.keys(entries).sort()) {
    const e = entries[id];
    const profiles = [...e.profiles].sort();
    // A -0 or a dropped key can land in any check of a test (and some labels carry generated
    // names), so an entry for those alone is matched by the failure message, not by check labels.
    const byMessage = GENERIC.has(id);
    // A pass under a profile where the test never failed says the behaviour is the profile's, not
    // the input's: that entry names its profiles instead of being input-dependent.
    const passedWhereFailed = [...(passedIn[id] ?? [])].some((p) => e.profiles.has(p));
    let reason = REASONS[id];
    if (!byMessage && e.negativeZero) reason += `; and ${D27}`;
    if (!byMessage && e.protoKey) reason += `; and ${D30}`;
    expectedFailures[id] = {
      reason: byMessage ? `${reason} (matched by the message: any check may show it)` : reason,
      seenOn: SEEN_ON,
      ...(byMessage ? {} : { checks: [...e.checks].sort() }),
      observed: byMessage ? [...(reason.includes("D27") ? NEGATIVE_ZERO_TEXT : []), ...(reason.includes("D30") ? PROTO_KEY_TEXT : [])] : [...e.observed],
      ...(profiles.length < profilesSeen.size && !byMessage && !passedWhereFailed && { profiles }),
      // -0 shows only when the generated value holds one.
      ...((passedWhereFailed || byMessage) && { inputDependent: true }),
    };
  }
  built[name] = { expectedFailures, runs: mine.length, profilesSeen };
}
// D30 is capnweb's serializer, the same on both transports: an entry for it alone holds for both.
for (const [name, other] of [["capnweb", "capnweb-string"], ["capnweb-string", "capnweb"]]) {
  for (const [id, e] of Object.entries(built[name]?.expectedFailures ?? {})) {
    if (e.reason.startsWith("D30") && built[other] && !built[other].expectedFailures[id]) built[other].expectedFailures[id] = e;
  }
}
/** Labels the suite no longer produces: structured-clone-table's checks are per kind of value now. */
const RETIRED = { "serialization/structured-clone-table": ["the argument as the callee received it (harness encoding)", "the result as the caller received it (harness encoding)"] };
for (const [name, { expectedFailures, profilesSeen }] of Object.entries(built)) {
  if (!keep) continue;
  const file = new URL(`../../expectations/${name}.json`, import.meta.url);
  const before = JSON.parse(readFileSync(file, "utf8")).expectedFailures;
  for (const [id, old] of Object.entries(before)) {
    const now = expectedFailures[id];
    const oldChecks = (old.checks ?? []).filter((c) => !(RETIRED[id] ?? []).includes(c));
    if (!now) {
      expectedFailures[id] = { ...old, ...(old.checks && { checks: oldChecks }) };
      continue;
    }
    // An entry matched by its message (D27/D30 anywhere) stays so; one with checks keeps them all.
    if (now.checks && old.checks) now.checks = [...new Set([...oldChecks, ...now.checks])].sort();
    else if (!now.checks && old.checks) Object.assign(now, { reason: old.reason, checks: oldChecks, observed: old.observed });
    // An entry matched by the message keeps every wrong value it matched (D27's and D30's texts).
    if (!now.checks && !old.checks) {
      const covers = (r) => [D27, D30].filter((d) => r.includes(d)).length;
      if (covers(old.reason) > covers(now.reason)) now.reason = old.reason;
      now.observed = [...new Set([...[old.observed ?? []].flat(), ...[now.observed ?? []].flat()])];
    }
    // A divergence an earlier run found in this test (D27, D30) stays in its reason.
    if (now.checks) for (const d of [D27, D30]) if (old.reason.includes(d) && !now.reason.includes(d)) now.reason += `; and ${d}`;
    if (now.checks && old.checks) now.observed = [...new Set([...(old.observed ?? []), ...(now.observed ?? [])])].slice(0, 6);
    const nowProfiles = now.profiles ?? (now.inputDependent ? undefined : [...profilesSeen]);
    const union = old.profiles && nowProfiles ? [...new Set([...old.profiles, ...nowProfiles])].sort() : [];
    if (union.length === 1) now.profiles = union;
    else delete now.profiles;
    if (old.inputDependent) now.inputDependent = true;
  }
}
for (const [name, { expectedFailures, runs: count }] of Object.entries(built)) {
  for (const [id, e] of Object.entries(expectedFailures)) if (e.checks && RETIRED[id]) e.checks = e.checks.filter((c) => !RETIRED[id].includes(c));
  const sorted = Object.fromEntries(Object.entries(expectedFailures).sort(([a], [b]) => a.localeCompare(b)));
  const file = new URL(`../../expectations/${name}.json`, import.meta.url);
  writeFileSync(file, JSON.stringify({ schemaVersion: 2, expectedFailures: sorted }, null, 2) + "\n");
  console.log(`${name}: ${Object.keys(sorted).length} entries from ${count} runs`);
}
if (missing.size) {
  console.error(`no reason written for:\n  ${[...missing].join("\n  ")}`);
  process.exit(1);
}
