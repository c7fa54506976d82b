// Starts GOV.UK Frontend's components. A file rather than an inline script, so the
// Content-Security-Policy can forbid inline script; the path is relative to this file.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
