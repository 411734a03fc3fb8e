// Bundles the card into the one file the integration serves:
//   custom_components/security_posture/www/security-posture-card.js
// `node build.mjs --check` fails when the committed bundle differs from a fresh build.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(
  here,
  "..",
  "custom_components",
  "security_posture",
  "www",
  "security-posture-card.js",
);
const check = process.argv.includes("--check");

const result = await build({
  entryPoints: [join(here, "src", "security-posture-card.ts")],
  bundle: true,
  format: "esm",
  target: "es2021",
  minify: true,
  legalComments: "none",
  banner: {
    js: "/* Security Posture card. Built from frontend/ in the integration's repository (npm run build); Lit: BSD-3-Clause. */",
  },
  write: false,
  logLevel: "warning",
});
const [file] = result.outputFiles;
if (check) {
  let committed = "";
  try {
    committed = readFileSync(outfile, "utf8");
  } catch {
    // missing: differs
  }
  if (committed !== file.text) {
    console.error(`${outfile} is not the build of frontend/src: run npm run build`);
    process.exit(1);
  }
  console.log("The committed card is up to date.");
} else {
  writeFileSync(outfile, file.text);
  console.log(`Wrote ${outfile} (${file.text.length} bytes)`);
}
