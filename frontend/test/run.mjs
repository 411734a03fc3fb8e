// Bundles the tests with esbuild (TypeScript, as the card is built) and runs them with node:test.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = mkdtempSync(join(tmpdir(), "security-posture-card-test-"));
try {
  await build({
    entryPoints: [join(here, "markdown.test.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: join(out, "markdown.test.mjs"),
    logLevel: "warning",
  });
  const run = spawnSync(process.execPath, ["--test", join(out, "markdown.test.mjs")], {
    stdio: "inherit",
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
