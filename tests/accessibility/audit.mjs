// pa11y (its HTML_CodeSniffer runner, WCAG 2 AA) and Lighthouse (accessibility and best
// practices) over a list of pages, in one headless Chromium. pa11y's axe runner is left out:
// test_axe.py already runs axe-core on every one of these pages in both languages. Driven by test_pa11y_lighthouse.py:
//   node audit.mjs PLAN.json   ->  a JSON report on stdout
// PLAN: {"chromium": path, "pages": [{"url": ..., "cookie": "...", "language": "en", "lighthouse": true}]}
import { readFileSync } from "node:fs";
import pa11y from "pa11y";
import puppeteer from "puppeteer";
import lighthouse from "lighthouse";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await puppeteer.launch({
  executablePath: plan.chromium,
  headless: true,
  args: ["--no-sandbox", "--remote-debugging-port=0", "--disable-gpu"],
});
const port = Number(new URL(browser.wsEndpoint()).port);
const report = [];
for (const page of plan.pages) {
  const headers = { "Accept-Language": page.language };
  if (page.cookie) headers.Cookie = page.cookie;
  const entry = { url: page.url, language: page.language, pa11y: [], lighthouse: null };
  let started = Date.now();
  const result = await pa11y(page.url, {
    browser,
    headers,
    standard: "WCAG2AA",
    runners: ["htmlcs"],
    timeout: 60000,
    includeWarnings: false,
    includeNotices: false,
  });
  // axe's "incomplete" results (it could not decide, e.g. text in an SVG chart) come as errors
  // marked needsFurtherReview: they are listed for a person to look at, not counted as errors.
  entry.review = result.issues
    .filter((issue) => issue.runnerExtras && issue.runnerExtras.needsFurtherReview)
    .map((issue) => `${issue.runner} ${issue.code} (${issue.selector})`);
  entry.pa11y = result.issues
    .filter((issue) => issue.type === "error")
    .filter((issue) => !(issue.runnerExtras && issue.runnerExtras.needsFurtherReview))
    .map((issue) => `${issue.runner} ${issue.code}: ${issue.message} (${issue.selector})`);
  entry.pa11y_ms = Date.now() - started;
  if (page.lighthouse) {
    started = Date.now();
    const run = await lighthouse(page.url, {
      port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["accessibility", "best-practices"],
      extraHeaders: headers,
      disableStorageReset: true,
    });
    const audits = Object.values(run.lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && ["binary", "numeric"].includes(a.scoreDisplayMode))
      .map((a) => `${a.id}: ${a.title}`);
    if (run.lhr.runtimeError) entry.lighthouse_error = run.lhr.runtimeError.message;
    entry.lighthouse = {
      accessibility: run.lhr.categories.accessibility.score,
      best_practices: run.lhr.categories["best-practices"].score,
      failing: audits,
    };
    entry.lighthouse_ms = Date.now() - started;
  }
  report.push(entry);
}
await browser.close();
process.stdout.write(JSON.stringify(report));
