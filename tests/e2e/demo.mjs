// End-to-end check of the seeded demo in a real browser (Debian's chromium through
// playwright-core), run by demo_e2e_test while the demo stream is flowing:
//
//   node demo.mjs <dashboard url> <screenshot path> <eroding initiative id> [min rows]
//
// 1. The dashboard loads and its event stream goes live.
// 2. The ranked table holds at least <min rows> initiatives, with ranks.
// 3. The open review lists the eroding initiative with a PIVOT or STOP recommendation
//    and its reasons.
// 4. The page keeps updating from the stream without a reload: at least three updates
//    arrive while the navigation count stays at one.
// Prints PASS (and saves a screenshot), or FAIL with the reason and exits 1.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 30_000;

async function main() {
  const [url, screenshot, eroding, minRowsText] = process.argv.slice(2);
  if (!url || !screenshot || !eroding) throw new Error('usage: demo.mjs <url> <screenshot> <eroding initiative> [min rows]');
  const minRows = Number(minRowsText || 30);
  const executablePath = process.env.PMO_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no chromium at ${executablePath}: run ./pmo setup`);
  await mkdir(dirname(screenshot), { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  page.setDefaultTimeout(TIMEOUT_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  try {
    await page.goto(url);
    await page.locator('#live-status[data-state="live"]').waitFor();

    const rows = page.locator('#initiative-rows tr[data-initiative]');
    await page.waitForFunction((n) => document.querySelectorAll('#initiative-rows tr[data-initiative]').length >= n, minRows);
    const ranked = await page.locator('#initiative-rows tr[data-initiative]:not([data-rank="0"])').count();
    if (ranked < minRows / 2) throw new Error(`only ${ranked} ranked rows of ${await rows.count()}`);
    console.log(`rows: ${await rows.count()}, ranked: ${ranked}`);

    const item = page.locator(`#review-items [data-review-item="${eroding}"]`);
    await item.waitFor();
    const recommendation = await item.getAttribute('data-recommendation');
    if (recommendation !== 'PIVOT' && recommendation !== 'STOP')
      throw new Error(`review recommends ${recommendation} for ${eroding}, expected PIVOT or STOP`);
    const reasons = (await item.locator('[data-field="reasons"]').textContent()) || '';
    if (!reasons.trim()) throw new Error(`no reasons shown for ${eroding}`);
    console.log(`review: ${eroding} → ${recommendation} (${reasons.trim().slice(0, 120)})`);

    const updates = async () => Number((await page.evaluate(() => document.body.dataset.updates)) || 0);
    const before = await updates();
    await page.waitForFunction((b) => Number(document.body.dataset.updates || 0) >= b + 3, before);
    console.log(`live updates: ${before} → ${await updates()} without a reload`);
    if (navigations !== 1) throw new Error(`the page navigated ${navigations} times`);
    if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join('; ')}`);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log('PASS');
  } catch (e) {
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-failed.png'), fullPage: true }).catch(() => {});
    console.log(`FAIL ${e.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`FAIL ${e.message}`);
  process.exit(1);
});
