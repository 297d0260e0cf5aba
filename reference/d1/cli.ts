/**
 * `npm run reference -- d1 migrations apply|list <database> -c path/to/wrangler.toml [--persist-to DIR]`
 *
 * The reference's counterpart of `wrangler d1 migrations apply|list --local`: the database is
 * named by its binding, database_name or database_id in the config, and lives where
 * `npm run reference` will open it (the same state folder rules, storage.ts).
 */
import { parseArgs } from "node:util";
import { loadWranglerToml } from "../loading/config.ts";
import { D1Engine } from "./engine.ts";
import { applyMigrations, databaseFile, listMigrations, type D1DatabaseBinding } from "./storage.ts";

export const D1_USAGE =
  "usage: npm run reference -- d1 migrations apply|list <database> -c path/to/wrangler.toml [--persist-to DIR]\n" +
  "  <database>  the binding, database_name or database_id of one of the config's [[d1_databases]]";

export async function d1Command(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      config: { type: "string", short: "c" },
      "persist-to": { type: "string" },
      local: { type: "boolean" }, // accepted as wrangler's: the reference is always local
    },
    allowPositionals: true,
    strict: true,
  });
  const [group, action, name] = positionals;
  if (group !== "migrations" || (action !== "apply" && action !== "list") || name === undefined || positionals.length !== 3) {
    throw new Error(`expected "d1 migrations apply <database>" or "d1 migrations list <database>"\n${D1_USAGE}`);
  }
  if (values.config === undefined) throw new Error(`no config given (-c path/to/wrangler.toml)\n${D1_USAGE}`);
  const definition = await loadWranglerToml(values.config, { onWarning: () => {} });
  const databases = definition.d1Databases ?? [];
  const database = databases.find((d: D1DatabaseBinding) => d.binding === name || d.databaseName === name || d.databaseId === name);
  if (database === undefined) {
    const known = databases.map((d) => d.databaseName ?? d.binding).join(", ") || "none";
    throw new Error(`${values.config}: no [[d1_databases]] entry has the binding, database_name or database_id "${name}" (its databases: ${known})`);
  }
  const file = databaseFile(database, values["persist-to"] === undefined ? {} : { persistTo: values["persist-to"] })!;
  const engine = await D1Engine.open({ file });
  try {
    if (action === "list") {
      const pending = listMigrations(engine, database).filter((migration) => !migration.applied);
      if (pending.length === 0) console.log(`No migrations to apply for ${name} (${file}).`);
      else for (const migration of pending) console.log(`pending: ${migration.name}`);
      return;
    }
    const applied = applyMigrations(engine, database);
    if (applied.length === 0) console.log(`No migrations to apply for ${name} (${file}).`);
    for (const migration of applied) console.log(`applied: ${migration}`);
  } finally {
    engine.close();
  }
}
