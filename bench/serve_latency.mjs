#!/usr/bin/env node
// Save -> served and save -> visible latency of `studysite serve`, `hugo server` and `mdbook serve`.
//
//   node bench/serve_latency.mjs [--tools studysite,hugo,mdbook] [PAGES...]   default: studysite; 1000 10000
//
// --tools picks the servers measured, each at every size given: studysite (the release binary
// target/release/studysite or $STUDYSITE; run `cargo build --release` first), hugo (`hugo server
// --disableFastRender`, $HUGO) and mdbook (`mdbook serve`, $MDBOOK or ~/.cargo/bin/mdbook). Each
// serves its own copy of the same corpus, written by `bench/bench.py --prepare-anchors`.
//
// For each size: writes a corpus with bench/gen_corpus.py, and for each tool starts its server on
// a free port (in its own process group, killed at the end), waits until it serves the page of the
// middle note, then 5 times appends a unique line to that note in the tool's copy and measures
// (a) until GET of its page returns the new text (polled every 2 ms), and (b) until the text is
// in the DOM of the page open in headless Chromium: found on the page that was open, it is timed
// at the animation frame it appeared in; on a reloaded page, at that page's first contentful
// paint. An edit not served or not visible within 60 s ($BENCH_EDIT_TIMEOUT_MS) is a timeout.
// Prints each median of 5 and the samples, then studysite's ratio to each other tool. Needs
// playwright-core (next to this script, in the working directory or /tmp/benchnode) and
// /usr/bin/chromium; without them only (a) is measured.

import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const EDITS = 5;
const EDIT_TIMEOUT_MS = Number(process.env.BENCH_EDIT_TIMEOUT_MS ?? 60_000);
const START_TIMEOUT_MS = 600_000;

function parseArgs(argv) {
  let tools = ["studysite"];
  const sizes = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--tools") tools = argv[++i].split(",").filter(Boolean);
    else if (argv[i].startsWith("--tools=")) tools = argv[i].slice(8).split(",").filter(Boolean);
    else sizes.push(Number(argv[i]));
  }
  return { tools, sizes: sizes.length ? sizes : [1000, 10000] };
}

const mdbookBin =
  process.env.MDBOOK ?? (existsSync(path.join(homedir(), ".cargo/bin/mdbook")) ? path.join(homedir(), ".cargo/bin/mdbook") : "mdbook");

// How each tool is started on a corpus, where its copy of the notes lives, and a note's URL.
const TOOLS = {
  studysite: {
    command: (dirs, port) => [process.env.STUDYSITE ?? path.join(repo, "target/release/studysite"), ["serve", dirs.studysite, "-p", String(port)]],
    notes: (dirs) => path.join(dirs.studysite, "notes"),
    url: (rel) => rel.replace(/\.md$/, ".html"),
  },
  hugo: {
    command: (dirs, port) => [
      process.env.HUGO ?? "hugo",
      ["server", "-s", dirs.hugo, "-p", String(port), "--bind", "127.0.0.1", "--disableFastRender"],
    ],
    notes: (dirs) => path.join(dirs.hugo, "content"),
    url: (rel) => rel.replace(/\.md$/, "/"),
  },
  mdbook: {
    command: (dirs, port) => [mdbookBin, ["serve", dirs.mdbook, "-p", String(port), "-n", "127.0.0.1"]],
    notes: (dirs) => path.join(dirs.mdbook, "src"),
    url: (rel) => rel.replace(/\.md$/, ".html"),
  },
};

// A timeout is null; it sorts after every measured sample.
function median(xs) {
  const s = xs.map((x) => (x === null ? Infinity : x)).sort((a, b) => a - b);
  const m = s[Math.floor(s.length / 2)];
  return m === Infinity ? null : m;
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

async function get(url) {
  try {
    const r = await fetch(url, { cache: "no-store" });
    return { status: r.status, text: await r.text() };
  } catch {
    return { status: 0, text: "" };
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Servers run in their own process group so that children (and the group) go with them.
const running = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

async function stopServer(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    killGroup(child, "SIGINT");
    if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]) === false) {
      killGroup(child, "SIGKILL");
      await exited;
    }
  }
  killGroup(child, "SIGKILL"); // anything left in the group
  running.delete(child);
}

process.on("exit", () => running.forEach((c) => killGroup(c, "SIGKILL")));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

async function startServer(tool, dirs, port, url) {
  const [cmd, args] = TOOLS[tool].command(dirs, port);
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  running.add(child);
  let log = "";
  child.stdout.on("data", (d) => (log = (log + d).slice(-4000)));
  child.stderr.on("data", (d) => (log = (log + d).slice(-4000)));
  const started = Date.now();
  while ((await get(url)).status !== 200) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${tool} exited before serving ${url}:\n${log}`);
    if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`${tool} did not serve ${url}:\n${log}`);
    await sleep(50);
  }
  return { child, startup: Date.now() - started };
}

// Resolves with the page's wall-clock time (ms) at which `marker` became visible, or null at
// `deadline`. `window.__benchArmed` marks the document that was open before the save: there the
// marker is timed at the frame it is found in; a document without the mark is a reload, and
// the marker came with it, so it is timed at that document's first contentful paint.
async function waitVisible(page, marker, deadline) {
  const found = (m) => {
    if (!document.body || !document.body.textContent.includes(m)) return false;
    if (window.__benchArmed === m) return Date.now();
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    if (paint) return performance.timeOrigin + paint.startTime;
    // No paint entry within 300 ms of loading: fall back to now.
    return performance.now() > 300 ? Date.now() : false;
  };
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return null;
    try {
      const h = await page.waitForFunction(found, marker, { polling: "raf", timeout: left });
      return await h.jsonValue();
    } catch (e) {
      if (e.name === "TimeoutError") return null;
      // The page reloaded under the wait: wait again on the new page.
      if (!/context|navigat|destroyed|closed/i.test(String(e))) throw e;
    }
  }
}

async function arm(page, marker) {
  for (let tries = 0; ; tries++) {
    try {
      await page.waitForLoadState("load");
      await page.evaluate((m) => (window.__benchArmed = m), marker);
      return;
    } catch (e) {
      if (tries > 20) throw e;
      await sleep(100);
    }
  }
}

function corpus(pages, tools) {
  const dir = path.join(tmpdir(), `studysite-serve-bench-${pages}`);
  if (tools.some((t) => t !== "studysite")) {
    return JSON.parse(execFileSync("python3", [path.join(here, "bench.py"), "--prepare-anchors", String(pages), dir]).toString());
  }
  execFileSync("python3", [path.join(here, "gen_corpus.py"), String(pages), dir], { stdio: "ignore" });
  return { studysite: dir };
}

async function measure(tool, pages, dirs, browser) {
  const studyNotes = TOOLS.studysite.notes({ studysite: dirs.studysite });
  const notes = execFileSync("find", [studyNotes, "-name", "*.md", "-not", "-name", "_index.md"])
    .toString().trim().split("\n").sort();
  const rel = path.relative(studyNotes, notes[Math.floor(notes.length / 2)]);
  const note = path.join(TOOLS[tool].notes(dirs), rel);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/${TOOLS[tool].url(rel)}`;
  const original = readFileSync(note, "utf8");
  const served = [];
  const visible = [];
  const { child, startup } = await startServer(tool, dirs, port, url);
  let page = null;
  try {
    if (browser) {
      page = await browser.newPage();
      await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    }
    for (let i = 0; i < EDITS; i++) {
      await sleep(1000);
      const marker = `Bench marker ${tool}-${pages}-${i}-${Date.now()}`;
      if (page) await arm(page, marker);
      const saved = Date.now();
      const deadline = saved + EDIT_TIMEOUT_MS;
      const seen = page ? waitVisible(page, marker, deadline) : Promise.resolve(null);
      appendFileSync(note, `\n\n${marker}\n`);
      const t0 = performance.now();
      let t = null;
      for (;;) {
        if ((await get(url)).text.includes(marker)) {
          t = performance.now() - t0;
          break;
        }
        if (Date.now() > deadline) break;
        await sleep(2);
      }
      served.push(t);
      const seenAt = await seen;
      if (page) visible.push(seenAt === null ? null : seenAt - saved);
    }
  } finally {
    writeFileSync(note, original);
    if (page) await page.close().catch(() => {});
    await stopServer(child);
  }
  return { tool, pages, url, startup, served, visible };
}

const ms = (x) => (x === null ? "timeout" : `${x.toFixed(0)} ms`);
const list = (xs) => xs.map((x) => (x === null ? "timeout" : x.toFixed(0))).join(" ");

const { tools, sizes } = parseArgs(process.argv.slice(2));
for (const t of tools) if (!TOOLS[t]) throw new Error(`unknown tool ${t} (known: ${Object.keys(TOOLS).join(", ")})`);
const pw = loadPlaywright();
const browser =
  pw && existsSync("/usr/bin/chromium")
    ? await pw.chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] })
    : null;
try {
  for (const pages of sizes) {
    const dirs = corpus(pages, tools);
    const results = {};
    for (const tool of tools) {
      const r = await measure(tool, pages, dirs, browser);
      results[tool] = r;
      const vis = browser ? ms(median(r.visible)) : "n/a";
      console.log(`${tool} ${pages} pages: save -> served ${ms(median(r.served))}, save -> visible ${vis} (median of ${EDITS}; ready after ${(r.startup / 1000).toFixed(1)} s; ${r.url})`);
      console.log(`  served: ${list(r.served)}; visible: ${browser ? list(r.visible) : "n/a"}`);
    }
    const ours = results.studysite;
    for (const tool of tools.filter((t) => t !== "studysite" && ours)) {
      for (const what of ["served", "visible"]) {
        const a = median(ours[what]);
        const b = median(results[tool][what]);
        if (!ours[what].length) continue;
        const ratio = a === null || b === null ? "n/a" : `${(b / a).toFixed(1)}x`;
        console.log(`${pages} pages, ${what}: studysite ${ms(a)} vs ${tool} ${ms(b)}: ${ratio}`);
      }
    }
  }
} finally {
  if (browser) await browser.close();
}
