// Bundles the dashboard (src/main.ts and its CSS) into dist/ with esbuild, copies the static files, and fails
// when the JavaScript and CSS together exceed the size budget (gzipped). `--watch` rebuilds on change;
// `--tests` compiles the browser tests (test/*.ts) into dist-test/ instead.
import * as esbuild from "esbuild";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "dist");
export const budgetBytes = 100 * 1024;

if (process.argv.includes("--tests")) {
    await rm(path.join(here, "dist-test"), { recursive: true, force: true });
    await esbuild.build({
        entryPoints: [path.join(here, "test", "cases.ts")],
        outdir: path.join(here, "dist-test"),
        bundle: true,
        packages: "external",
        platform: "node",
        format: "esm",
        target: "node20",
        sourcemap: "inline",
        logLevel: "warning",
    });
    process.exit(0);
}

const options = {
    entryPoints: { app: path.join(here, "src", "main.ts") },
    outdir: out,
    bundle: true,
    minify: true,
    sourcemap: "linked",
    format: "esm",
    target: ["es2022", "chrome111", "firefox111", "safari16"],
    legalComments: "none",
    logLevel: "warning",
};

async function copyStatic() {
    await copyFile(path.join(here, "index.html"), path.join(out, "index.html"));
    await copyFile(path.join(here, "favicon.svg"), path.join(out, "favicon.svg"));
}

if (process.argv.includes("--watch")) {
    await mkdir(out, { recursive: true });
    await copyStatic();
    const context = await esbuild.context({ ...options, logLevel: "info" });
    await context.watch();
    console.log("watching src/ (and ../Orchestrator.Client) for changes; index.html is copied at start");
} else {
    await rm(out, { recursive: true, force: true });
    await esbuild.build(options);
    await copyStatic();
    let total = 0;
    const sizes = [];
    for (const file of ["app.js", "app.css"]) {
        const bytes = await readFile(path.join(out, file));
        const gzipped = gzipSync(bytes, { level: 9 }).length;
        total += gzipped;
        sizes.push(`${file} ${(bytes.length / 1024).toFixed(1)} KB (${(gzipped / 1024).toFixed(1)} KB gzipped)`);
    }
    console.log(`dashboard: ${sizes.join(", ")}; ${(total / 1024).toFixed(1)} KB of ${budgetBytes / 1024} KB gzipped`);
    if (total > budgetBytes) {
        console.error(`dashboard: error: JavaScript and CSS are ${total} bytes gzipped, over the budget of ${budgetBytes}`);
        process.exit(1);
    }
}
