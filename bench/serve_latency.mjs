#!/usr/bin/env node
// Save -> served and save -> visible latency of `studysite serve` (and, when installed,
// `hugo server` / `mdbook serve` are measured the same way by pointing --cmd at them).
//
//   node bench/serve_latency.mjs [PAGES...]        default: 1000 10000
//
// For each size: writes a corpus with bench/gen_corpus.py, starts the release binary on a
// free port, waits for the first build, then 5 times appends a unique line to one note and
// measures (a) until GET of its page returns the new text (polled every 2 ms), and (b) until
// the text is in the DOM of the page open in headless Chromium (polled every frame).
// Prints the median of 5 of each. Needs `npm i playwright-core` (next to this script or in
// NODE_PATH) and /usr/bin/chromium; without them only (a) is measured.

import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const bin = process.env.STUDYSITE ?? path.join(repo, "target/release/studysite");
const sizes = process.argv.slice(2).map(Number);
const EDITS = 5;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function loadPlaywright() {
  for (const base of [here, process.cwd(), "/tmp/benchnode"]) {
    try {
      return createRequire(path.join(base, "x.js"))("playwright-core");
    } catch {}
  }
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchText(url) {
  try {
    const r = await fetch(url, { cache: "no-store" });
    return await r.text();
  } catch {
    return "";
  }
}

async function startServer(dir, port) {
  const child = spawn(bin, ["serve", dir, "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", () => {});
  const started = Date.now();
  while (!log.includes("serving")) {
    if (Date.now() - started > 600_000) throw new Error("the server did not start");
    await sleep(20);
  }
  return child;
}

async function measure(pages) {
  const dir = path.join(tmpdir(), `studysite-serve-bench-${pages}`);
  execFileSync("python3", [path.join(here, "gen_corpus.py"), String(pages), dir], { stdio: "ignore" });
  const notes = execFileSync("find", [path.join(dir, "notes"), "-name", "*.md", "-not", "-name", "_index.md"])
    .toString().trim().split("\n").sort();
  const note = notes[Math.floor(notes.length / 2)];
  const rel = path.relative(path.join(dir, "notes"), note).replace(/\.md$/, ".html");
  const port = 3400 + (pages % 500);
  const server = await startServer(dir, port);
  const url = `http://127.0.0.1:${port}/${rel}`;
  const original = readFileSync(note, "utf8");
  const served = [];
  const visible = [];
  const pw = loadPlaywright();
  let browser = null;
  let page = null;
  if (pw && existsSync("/usr/bin/chromium")) {
    browser = await pw.chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    page = await browser.newPage();
    await page.goto(url, { waitUntil: "domcontentloaded", timeout: 120_000 });
  }
  try {
    for (let i = 0; i < EDITS; i++) {
      await sleep(300);
      const marker = `Bench marker ${pages}-${i}-${Date.now()}`;
      // Visible: the page watches its own DOM (it survives only until the reload, so the
      // wait is re-armed on the reloaded page), timed against the save's wall clock.
      const saved = Date.now();
      appendFileSync(note, `\n\n${marker}\n`);
      const t0 = performance.now();
      while (!(await fetchText(url)).includes(marker)) {
        if (performance.now() - t0 > 120_000) throw new Error("the edit never showed");
        await sleep(2);
      }
      served.push(performance.now() - t0);
      if (page) {
        let seenAt = null;
        while (seenAt === null) {
          try {
            const h = await page.waitForFunction(
              (m) => document.body && document.body.textContent.includes(m) && Date.now(),
              marker,
              { polling: "raf", timeout: 120_000 },
            );
            seenAt = await h.jsonValue();
          } catch (e) {
            // The page reloaded under the wait: wait again on the new page.
            if (!/context|navigat|destroyed/i.test(String(e))) throw e;
          }
        }
        visible.push(seenAt - saved);
      }
    }
  } finally {
    writeFileSync(note, original);
    if (browser) await browser.close();
    server.kill("SIGINT");
  }
  return { pages, served: median(served), visible: visible.length ? median(visible) : null, all: { served, visible } };
}

for (const pages of sizes.length ? sizes : [1000, 10000]) {
  const r = await measure(pages);
  const fmt = (x) => (x === null ? "n/a" : `${x.toFixed(0)} ms`);
  console.log(`${pages} pages: save -> served ${fmt(r.served)}, save -> visible ${fmt(r.visible)} (median of ${EDITS})`);
  console.log(`  served: ${r.all.served.map((x) => x.toFixed(0)).join(" ")}; visible: ${r.all.visible.join(" ")}`);
}
