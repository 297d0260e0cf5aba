// capnweb 0.12: serializing a plain object runs each of its getters twice.
// Workers RPC (structured clone) reads each own enumerable property once.
// Run: node getters-run-twice.mjs   (prints the count; 1 is expected)
import { RpcTarget, newMessagePortRpcSession } from "capnweb";

let reads = 0;
class Api extends RpcTarget {
  make() {
    return { get value() { reads++; return "x"; } };
  }
}
const { port1, port2 } = new MessageChannel();
newMessagePortRpcSession(port1, new Api());
const api = newMessagePortRpcSession(port2);

const result = await api.make();
console.log("result:", JSON.stringify(result), "getter ran", reads, "time(s); expected 1");
port1.close();
port2.close();
process.exitCode = reads === 1 ? 0 : 1;
