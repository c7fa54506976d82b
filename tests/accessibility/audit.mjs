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
// Each visitor's pages in one language are read in a tab of their own browser context, their
// cookies set once: pa11y's own way (a request interceptor adding the headers to the page's
// first request) turns Chromium's cache off, so every page fetched its styles, scripts and
// fonts again, and it waits for the network to be idle half a second. The pages need no
// script to show what they show, so the tab's load event is enough.
let context = null;
let tab = null;
let group = null;
for (const page of plan.pages) {
  const headers = { "Accept-Language": page.language };
  if (page.cookie) headers.Cookie = page.cookie;
  const entry = { url: page.url, language: page.language, pa11y: [], lighthouse: null };
  let started = Date.now();
  if (`${page.cookie}|${page.language}` !== group) {
    if (context) await context.close();
    context = await browser.createBrowserContext();
    tab = await context.newPage();
    await tab.setExtraHTTPHeaders({ "Accept-Language": page.language });
    const origin = new URL(page.url).origin;
    const cookies = (page.cookie || "")
      .split("; ")
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: origin };
      });
    if (cookies.length) await tab.setCookie(...cookies);
    group = `${page.cookie}|${page.language}`;
  }
  const response = await tab.goto(page.url, { waitUntil: "load", timeout: 60000 });
  entry.status = response ? response.status() : null;
  entry.landed = tab.url();
  const result = await pa11y(page.url, {
    browser,
    page: tab,
    ignoreUrl: true,
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
      // The audits scored here read the page as loaded; they time nothing. So no waiting for
      // a quiet network and CPU after the load event (a second each by default) and no
      // full-page screenshot: 2.4 s a run with the test alone (7 s before, in a busier run).
      pauseAfterFcpMs: 0,
      pauseAfterLoadMs: 0,
      networkQuietThresholdMs: 0,
      cpuQuietThresholdMs: 0,
      disableFullPageScreenshot: true,
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
if (context) await context.close();
await browser.close();
process.stdout.write(JSON.stringify(report));
