// End-to-end check of the live dashboard in a real browser (Debian's chromium through
// playwright-core). Driven by dashboard_e2e_test, which starts the services and publishes
// the events:
//
//   node dashboard.mjs <dashboard url> <screenshot path> [--initiative bad]
//        [--before 30%] [--after 60%] [--decide STOP]
//
// 1. Opens the dashboard and waits for the stream to be live and the initiative's first
//    benefit realisation (--before).
// 2. On the open review: a decision without rationale shows the API's error; with the
//    form filled in, the --decide button records it and the review item shows it.
// 3. Prints READY; the test then publishes a new measurement.
// 4. Waits for the new realisation (--after) without a reload (the navigation count and a
//    marker set on window both survive), saves a screenshot, prints PASS.
// Any failure prints FAIL with the reason (and a screenshot beside the given path) and
// exits 1.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 30_000;

function parseArgs(argv) {
  const [url, screenshot, ...rest] = argv;
  const opts = { url, screenshot, initiative: 'bad', before: '30%', after: '60%', decide: 'STOP' };
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i].replace(/^--/, '');
    if (!(key in opts) || rest[i + 1] === undefined) throw new Error(`unknown or incomplete option ${rest[i]}`);
    opts[key] = rest[i + 1];
  }
  if (!opts.url || !opts.screenshot) throw new Error('usage: dashboard.mjs <url> <screenshot path> [options]');
  return opts;
}

const log = (...args) => console.log(...args);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const executablePath = process.env.PMO_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no chromium at ${executablePath}: run ./pmo setup`);
  await mkdir(dirname(opts.screenshot), { recursive: true });

  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // CI runs as root, where chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.setDefaultTimeout(TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') log(`browser console: ${m.text()}`);
  });
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });

  try {
    const realisation = page.locator(`[data-initiative="${opts.initiative}"] [data-field="benefit-realisation"]`);

    // 1. First load: live stream, first realisation, charts drawn.
    await page.goto(opts.url);
    await page.locator('#live-status[data-state="live"]').waitFor();
    await waitForText(realisation, opts.before, 'first benefit realisation');
    await page.locator('#kpis [data-kpi]').first().waitFor();
    await page.locator(`#review-items [data-review-item="${opts.initiative}"]`).waitFor();
    if (!(await page.locator('#benefit-chart').evaluate((c) => c.width > 0))) throw new Error('no benefit chart');
    log(`first realisation of ${opts.initiative}: ${await realisation.textContent()}`);

    // 2. A decision without rationale or decider: the API's error is shown, nothing recorded.
    const item = page.locator(`#review-items [data-review-item="${opts.initiative}"]`);
    const decisionError = page.locator('[data-error-for="decision"]');
    const button = () => item.locator(`[data-decision-button="${opts.decide}"]`);
    await page.fill('#decision-rationale', '');
    await page.fill('#decision-by', '');
    const refused = page.waitForResponse((r) => r.url().includes('/decisions') && r.request().method() === 'POST');
    await button().click();
    const refusedResponse = await refused;
    if (refusedResponse.status() !== 400) throw new Error(`empty decision answered ${refusedResponse.status()}, not 400`);
    await decisionError.waitFor({ state: 'visible' });
    const errorText = await decisionError.textContent();
    if (!errorText.includes('INVALID_ARGUMENT') || !errorText.includes('rationale'))
      throw new Error(`the refused decision's error is not shown: "${errorText}"`);
    log(`refused decision shows: ${errorText}`);

    // ... and with the form filled in, it is recorded and shown.
    await page.fill('#decision-rationale', 'benefit forecast collapsed; stop and release the budget');
    await page.fill('#decision-by', 'portfolio board');
    const accepted = page.waitForResponse((r) => r.url().includes('/decisions') && r.request().method() === 'POST');
    await button().click();
    const acceptedResponse = await accepted;
    if (acceptedResponse.status() !== 200)
      throw new Error(`decision answered ${acceptedResponse.status()}: ${await acceptedResponse.text()}`);
    await page.locator(`#review-items [data-review-item="${opts.initiative}"][data-decision="${opts.decide}"]`).waitFor();
    const shown = await item.locator('[data-field="decision"]').textContent();
    if (!shown.includes(opts.decide) || !shown.includes('portfolio board'))
      throw new Error(`the review item does not show the decision: "${shown}"`);
    await decisionError.waitFor({ state: 'hidden' });
    // DecisionRecorded comes back through the stream into the initiative's row.
    await waitForText(
      page.locator(`[data-initiative="${opts.initiative}"] [data-field="last-decision"]`),
      opts.decide,
      'last decision in the row',
    );
    log(`decision shown: ${shown}`);

    // 3. Ready for the new measurement.
    await page.evaluate(() => {
      window.__pmoE2eMarker = 'set-before-measurement';
    });
    const navigationsBefore = navigations;
    log('READY');

    // 4. The new realisation arrives through the stream, without a reload.
    await waitForText(realisation, opts.after, 'new benefit realisation');
    const marker = await page.evaluate(() => window.__pmoE2eMarker);
    if (marker !== 'set-before-measurement') throw new Error('the page was reloaded (the window marker is gone)');
    if (navigations !== navigationsBefore || navigations !== 1)
      throw new Error(`the page navigated ${navigations} times (expected the first load only)`);
    if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join('; ')}`);
    log(`new realisation of ${opts.initiative}: ${await realisation.textContent()} (no reload)`);

    await page.screenshot({ path: opts.screenshot, fullPage: true });
    log(`SCREENSHOT ${opts.screenshot}`);
    log('PASS');
  } catch (error) {
    const failed = opts.screenshot.replace(/(\.png)?$/, '-failed.png');
    await page.screenshot({ path: failed, fullPage: true }).catch(() => {});
    log(`page errors: ${pageErrors.join('; ') || 'none'}`);
    log(`failure screenshot: ${failed}`);
    throw error;
  } finally {
    await browser.close();
  }
}

// Waits until the locator's text is exactly `expected` (trimmed).
async function waitForText(locator, expected, what) {
  try {
    await locator.filter({ hasText: new RegExp(`^\\s*${escape(expected)}\\s*$`) }).waitFor();
  } catch {
    const actual = (await locator.count()) ? await locator.first().textContent() : '(element missing)';
    throw new Error(`${what}: expected "${expected}", the page shows "${actual}"`);
  }
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.log(`FAIL ${error.message}`);
    process.exit(1);
  },
);
