// capnweb 0.12: a plain object's own property is silently dropped in transit when its name is
// also a member of Object.prototype (toString, valueOf, constructor, hasOwnProperty…).
// Workers RPC (structured clone) copies every own enumerable property.
// Run: node prototype-named-keys-dropped.mjs   (prints what arrived; exit 1 when keys are lost)
import { RpcTarget, newMessagePortRpcSession } from "capnweb";

class Api extends RpcTarget {
  echo(value) {
    return Object.keys(value);
  }
}
const { port1, port2 } = new MessageChannel();
newMessagePortRpcSession(port1, new Api());
const api = newMessagePortRpcSession(port2);

const sent = { toString: "a", valueOf: 1, constructor: true, hasOwnProperty: null, plain: "kept" };
const receivedKeys = await api.echo(sent);
console.log("sent keys:    ", Object.keys(sent).join(", "));
console.log("callee saw:   ", receivedKeys.join(", "));
port1.close();
port2.close();
process.exit(receivedKeys.length === Object.keys(sent).length ? 0 : 1);
