// capnweb 0.12: a call that returns a Response works over one session, but fails with
// "TypeError: Cannot serialize value: [object ReadableStream]" when the stub is passed to a peer
// over a second session and the peer makes the call (the Response travels back over both).
// Workers RPC: a service binding passed over RPC can be fetched, and the Response arrives.
// Run: node response-through-forwarded-stub.mjs
import { RpcTarget, newMessagePortRpcSession } from "capnweb";

class Server extends RpcTarget {
  get() { return new Response("hello"); }
}
class Middle extends RpcTarget {
  async callThrough(stub) { return (await stub.get()).text(); }
}
function connect(main) {
  const { port1, port2 } = new MessageChannel();
  newMessagePortRpcSession(port1, main);
  return newMessagePortRpcSession(port2);
}
const server = connect(new Server());
const middle = connect(new Middle());

const direct = await server.get().then((r) => r.text(), (e) => `rejected: ${e}`);
console.log("direct call:", direct);
const forwarded = await middle.callThrough(server).then((v) => v, (e) => `rejected: ${e}`);
console.log("through a forwarded stub:", forwarded);
process.exit(forwarded === "hello" ? 0 : 1);
