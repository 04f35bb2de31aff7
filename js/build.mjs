// Bundle src/index.ts (+ styles.css) into explorer.js and explorer.css.
// Usage: node build.mjs [outdir]   (default: ../w2v_widgets/static, the committed bundle)
import * as esbuild from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] ?? resolve(here, "../w2v_widgets/static"));

await esbuild.build({
  absWorkingDir: here,
  entryPoints: { explorer: "src/index.ts" },
  bundle: true,
  format: "esm",
  target: "es2020",
  outdir,
  charset: "utf8",
  legalComments: "none",
  logLevel: "warning",
});
