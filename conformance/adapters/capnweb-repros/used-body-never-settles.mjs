// capnweb 0.12: sending a Response (or Request, or ReadableStream) whose body was already read,
// as an RPC argument gives a call that never settles (no result, no rejection); as a result, the
// call resolves to a Response whose body never finishes.
// Workers RPC rejects such a call with TypeError "The ReadableStream has been locked to a reader.".
// Run: node used-body-never-settles.mjs   (prints "never settled" for each kind; exit 1)
import { RpcTarget, newMessagePortRpcSession } from "capnweb";

class Api extends RpcTarget {
  async take(value) {
    return value instanceof ReadableStream ? new Response(value).text() : value.text();
  }
  async giveUsed() {
    const response = new Response("body");
    await response.text();
    return response;
  }
}
const { port1, port2 } = new MessageChannel();
newMessagePortRpcSession(port1, new Api());
const api = newMessagePortRpcSession(port2);

let hangs = 0;
for (const kind of ["Response", "Request", "ReadableStream"]) {
  let value;
  if (kind === "Response") value = new Response("body");
  if (kind === "Request") value = new Request("https://example.com/", { method: "POST", body: "body" });
  if (kind === "ReadableStream") value = new Response("body").body;
  if (kind === "ReadableStream") value.getReader(); // locked
  else await value.text(); // body used
  const outcome = await Promise.race([
    api.take(value).then((v) => `resolved ${JSON.stringify(v)}`, (e) => `rejected: ${e}`),
    new Promise((resolve) => setTimeout(() => resolve("never settled (waited 3 s)"), 3000)),
  ]);
  if (outcome.startsWith("never")) hangs++;
  console.log(`a used ${kind} as an argument: ${outcome}`);
}
{
  const outcome = await Promise.race([
    api.giveUsed().then((v) => v.text()).then((v) => `resolved, body ${JSON.stringify(v)}`, (e) => `rejected: ${e}`),
    new Promise((resolve) => setTimeout(() => resolve("never settled (waited 3 s)"), 3000)),
  ]);
  if (outcome.startsWith("never")) hangs++;
  console.log(`a used Response as a result, then reading its body: ${outcome}`);
}
port1.close();
port2.close();
process.exit(hangs ? 1 : 0);
