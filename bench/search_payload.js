// Loads static/search.js from a built site in node, with a fake DOM whose <script> tags read
// the files from disk, runs one query, and prints the bytes it loaded as JSON.
// Usage: node bench/search_payload.js SITE_DIR QUERY
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const zlib = require("zlib");

const [site, query] = process.argv.slice(2);
const loaded = [];
function load(rel) {
  const text = fs.readFileSync(path.join(site, rel));
  loaded.push({ file: rel, bytes: text.length, gzip: zlib.gzipSync(text).length });
  vm.runInThisContext(text.toString(), { filename: rel });
}
globalThis.window = globalThis;
globalThis.document = {
  body: { getAttribute: () => "" },
  head: {
    appendChild(s) {
      setImmediate(() => {
        try { load(s.src); s.onload(); } catch (e) { s.onerror(e); }
      });
    },
  },
  createElement: () => ({}),
  getElementById: () => null,
  addEventListener() {},
};
load("static/search.js");
window.__studysiteSearch.query(query).then((found) => {
  const sum = (k) => loaded.reduce((a, f) => a + f[k], 0);
  console.log(JSON.stringify({
    query, results: found.results.length, top: found.results[0] && found.results[0].url,
    files: loaded.length, bytes: sum("bytes"), gzip: sum("gzip"), loaded,
  }));
}, (e) => { console.error(e); process.exit(1); });
