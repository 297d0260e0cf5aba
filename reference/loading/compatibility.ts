/**
 * Compatibility flags, decided per worker from its `compatibility_date` and
 * `compatibility_flags`, by workerd's rule: a flag is on when its enable flag is listed, or when
 * the date is on or after the flag's default-on date and its disable flag is not listed.
 */

/** A compatibility flag as workerd defines it (`src/workerd/io/compatibility-date.capnp`). */
export interface CompatibilityFlag {
  enable: string;
  disable: string;
  /** The date from which the flag is on by default (YYYY-MM-DD). */
  defaultOn: string;
}

/**
 * STUB-PARAM-OWNERSHIP: a stub passed as an argument stays usable by the caller (the callee gets
 * a duplicate); without it, sending the stub transfers it and disposes the caller's.
 */
export const RPC_PARAMS_DUP_STUBS: CompatibilityFlag = {
  enable: "rpc_params_dup_stubs",
  disable: "rpc_params_transfer_stubs",
  defaultOn: "2026-01-20",
};

/** BIND-FETCH-ARGUMENTS: fetch() parses URLs by the WHATWG standard and says "Invalid URL". */
export const FETCH_STANDARD_URL: CompatibilityFlag = {
  enable: "fetch_standard_url",
  disable: "fetch_legacy_url",
  defaultOn: "2024-06-03",
};

/**
 * SER-HOST-TAG, STUB-SURFACE: Workers API objects (DOMException, Fetcher and the other host classes)
 * carry a Symbol.toStringTag naming their class ("[object Fetcher]"); before this flag they carry
 * none ("[object Object]").
 */
export const SET_TOSTRING_TAG: CompatibilityFlag = {
  enable: "set_tostring_tag",
  disable: "do_not_set_tostring_tag",
  defaultOn: "2024-09-26",
};

export function isFlagOn(flag: CompatibilityFlag, compatibilityDate: string, compatibilityFlags: readonly string[]): boolean {
  if (compatibilityFlags.includes(flag.enable)) return true;
  if (compatibilityFlags.includes(flag.disable)) return false;
  return compatibilityDate >= flag.defaultOn;
}
