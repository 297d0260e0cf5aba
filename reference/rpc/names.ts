/**
 * Which property names are RPC names, shared by every caller-side value that reads names
 * (`binding.ts`, `rpc-promise.ts`, `stubs.ts`): a leaf module, so those files import it and not
 * each other.
 */

/**
 * A canonical array index: "0" … "4294967294", no sign, no leading zero. On workerd such a key is
 * not an RPC name: it reads as undefined on a binding, a stub or an RPC promise (VIS-NAME-FUZZ,
 * STUB-SURFACE).
 */
export function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false; // not a digit first (most names): no regular expression run per name read
  if (!/^(?:0|[1-9][0-9]{0,9})$/.test(key)) return false;
  return Number(key) < 4294967295;
}
