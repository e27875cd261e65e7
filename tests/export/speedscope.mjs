// tests/export/speedscope.mjs - load a profile into speedscope, running in
// headless Chromium, and report which function names speedscope itself
// parsed out of it.
//
// Usage: node tests/export/speedscope.mjs PROFILE NAME [NAME...]
//
// speedscope's release files (from the npm package installed by
// tests/export/setup) and PROFILE are served from a loopback HTTP server
// (127.0.0.1, a free port); speedscope is opened with
// #profileURL=<the profile>&view=sandwich, which makes it fetch and import
// the profile itself and show its Sandwich view: a table of every frame
// (function) speedscope parsed, with its total and self weight.  That
// table is a virtual list (only the rows in view are in the DOM), so each
// NAME is looked up with speedscope's own search (Ctrl+F, then the name):
// it filters the table to the frames whose name contains the query, and
// NAME is found when a row's name cell reads NAME, or NAME and its args
// (speedscope names a Trace Event's frame by its name and, when the event
// has args, the args as JSON: 'path_openat {"self_ns":28505}').  A Trace
// Event file gives a profile per thread: each is searched in turn (its
// 'n' key), until every NAME is found.
//
// Prints one line per NAME, "found NAME" or "missing NAME", after a first
// line naming the profile as speedscope titled it.  A found line goes on
// with what speedscope shows: " as 'NAME {...}'" when the frame is named
// with args, " and N more frames" when it made more than one frame of
// NAME (events of one function with different args), " in profile P/N"
// (the first profile that has it), then " total T self S", the frame's
// Total and Self cells.  Exit status: 0 when every NAME is found, 1 when
// one or more are missing, 2 when speedscope could not import the profile
// ("Something went wrong", "Unrecognized format", an empty profile, a
// script error), 3 for a usage or environment error (no Chromium, no npm
// packages, a time-out).
//
// Environment: KFOLLOW_NODE, the directory that holds node_modules with
// speedscope and playwright-core (default: what tests/export/setup
// --print-dir says); CHROMIUM (default /usr/bin/chromium);
// SPEEDSCOPE_TIMEOUT_MS, how long to wait for each step (default 90000:
// a busy 2-core machine is slow); SPEEDSCOPE_SCREENSHOT=FILE saves a PNG
// for a person to look at: the Left Heavy flame graph after the search,
// or the screen as it was when something failed.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const timeout = Number(process.env.SPEEDSCOPE_TIMEOUT_MS || 90000);

function die(code, msg) {
	console.log(`speedscope: ${msg}`);
	process.exit(code);
}

const [profile, ...names] = process.argv.slice(2);
if (!profile || names.length === 0)
	die(3, 'usage: node speedscope.mjs PROFILE NAME [NAME...]');
if (!existsSync(profile))
	die(3, `no profile file '${profile}'`);

let nodeDir = process.env.KFOLLOW_NODE;
if (!nodeDir)
	nodeDir = execFileSync(join(here, 'setup'), ['--print-dir']).toString().trim();
const require = createRequire(join(nodeDir, 'package.json'));
let chromium, releaseDir;
try {
	({ chromium } = require('playwright-core'));
	releaseDir = join(dirname(require.resolve('speedscope/package.json')), 'dist', 'release');
} catch (e) {
	die(3, `no playwright-core or speedscope in ${nodeDir}/node_modules (run tests/export/setup): ${e.message}`);
}
if (!existsSync(join(releaseDir, 'index.html')))
	die(3, `no speedscope release files in ${releaseDir}`);

// --- the loopback server: speedscope's files at /, the profile under
// /profile/ ------------------------------------------------------------------
const types = {
	'.html': 'text/html; charset=utf-8', '.js': 'text/javascript',
	'.css': 'text/css', '.json': 'application/json', '.png': 'image/png',
	'.ico': 'image/x-icon', '.wasm': 'application/wasm', '.woff2': 'font/woff2',
	'.txt': 'text/plain; charset=utf-8',
};
const profileName = basename(profile);
const profilePath = `/profile/${encodeURIComponent(profileName)}`;
const served = [];
const server = createServer(async (req, res) => {
	const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
	let file;
	if (path === `/profile/${profileName}`)
		file = profile;
	else {
		file = normalize(join(releaseDir, path === '/' ? 'index.html' : path));
		if (!file.startsWith(releaseDir + sep))
			file = null;
	}
	try {
		const body = await readFile(file);
		res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
		res.end(body);
		served.push(path);
	} catch {
		res.writeHead(404);
		res.end();
	}
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

// --- the browser ----------------------------------------------------------------
let browser;
try {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		timeout,
		// root needs --no-sandbox; speedscope draws with WebGL, which
		// headless Chromium gives through SwiftShader only when allowed
		args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
	});
} catch (e) {
	server.close();
	die(3, `cannot start Chromium: ${e.message.split('\n')[0]}`);
}

let status = 0, page;
try {
	page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
	status = await run();
} catch (e) {
	console.log(`speedscope: ${e.message.split('\n')[0]}`);
	if (page)
		await shot(page);
	status = 3;
} finally {
	await browser.close();
	server.close();
}
process.exit(status);

async function run() {
	page.setDefaultTimeout(timeout);
	// an import failure: speedscope says so in an alert() (unrecognized
	// format, an empty profile) or in its error screen, and logs why
	const failures = [];
	let failed;
	const failure = new Promise((ok) => { failed = ok; });
	page.on('dialog', (d) => {
		failures.push(`alert: ${d.message()}`);
		d.dismiss().catch(() => {});
		failed();
	});
	page.on('pageerror', (e) => {
		failures.push(`script error: ${e.message}`);
		failed();
	});
	page.on('console', (m) => {
		if (m.type() === 'error' || /Failed to load format/.test(m.text()))
			failures.push(`console: ${m.text().slice(0, 300)}`);
	});

	const url = `${base}/index.html#profileURL=${encodeURIComponent(base + profilePath)}&view=sandwich`;
	await page.goto(url);

	// the Sandwich view's table has rows once the import is done; the
	// error screen says "Something went wrong"
	const waited = page.waitForFunction(() => {
		if ([...document.querySelectorAll('table tr td')].some((td) => td.getClientRects().length > 0))
			return 'table';
		if (/Something went wrong/.test(document.body.innerText))
			return 'error';
		return null;
	}, null, { polling: 100 }).then((h) => h.jsonValue());
	waited.catch(() => {});
	const outcome = await Promise.race([waited, failure.then(() => 'alert')]);
	if (outcome !== 'table' || failures.some((f) => !f.startsWith('console'))) {
		console.log(`speedscope: cannot import ${profile}: ${failures.join('; ') || 'it shows "Something went wrong"'}`);
		await shot(page);
		return 2;
	}
	if (!served.includes(`/profile/${profileName}`))
		throw new Error(`speedscope showed a table without fetching ${profilePath}`);
	console.log(`speedscope: imported ${profile} (page title "${await page.title()}")`);

	// the name cells of the table's rows in the DOM (the last cell of
	// each row; the hidden table of the profile menu is not one), and which profile of how many is shown: "(1/4)" beside
	// the profile's name (a Trace Event file has one per thread)
	const cells = `[...document.querySelectorAll('table tr:has(td)')]
		.filter((tr) => tr.getClientRects().length > 0)
		.map((tr) => tr.lastElementChild ? tr.lastElementChild.textContent : '')`;
	// a row's Total and Self cells, as speedscope prints them
	const weights = (name) => page.evaluate((name) => {
		for (const tr of document.querySelectorAll('table tr:has(td)'))
			if (tr.getClientRects().length > 0 && tr.cells.length >= 3 &&
			    tr.lastElementChild.textContent === name)
				return [tr.cells[0].textContent, tr.cells[1].textContent];
		return null;
	}, name);
	const position = () => page.evaluate(() => {
		for (const e of document.querySelectorAll('span')) {
			const m = /^\((\d+)\/(\d+)\)$/.exec(e.textContent.trim());
			if (m)
				return [Number(m[1]), Number(m[2])];
		}
		return [1, 1];
	});
	const [, profiles] = await position();

	// speedscope's search (its own Ctrl+F handler on the window) filters
	// the table to the frames whose name contains the query
	await page.keyboard.press('Control+f');
	const search = page.locator('input:not([placeholder])').first();
	await search.waitFor({ state: 'visible' });
	// rows QUERY: the rows once the table shows the filter for QUERY.
	// A query that matches nothing comes first, and the filter for
	// QUERY is in when no row is left of it and every row contains
	// QUERY (when nothing matches, speedscope's one row says 'No
	// symbol names match query "QUERY"'), so that what is read is
	// never the rows of the last name
	const none = 'kfollow-matches-nothing-7f3a9';
	const filtered = (q, not) => page.waitForFunction(`(() => {
		const c = ${cells}, q = ${JSON.stringify(q.toLowerCase())}, not = ${JSON.stringify(not)};
		return c.length > 0 && c.every((n) => n.toLowerCase().includes(q) && !(not && n.includes(not))) ? c : null;
	})()`, null, { polling: 100 }).then((h) => h.jsonValue());
	const rows = async (query) => {
		debug(`query ${query}`);
		await search.fill(none);
		await filtered(none, null);
		await search.fill(query);
		return filtered(query, none);
	};

	// a Trace Event's frame is named "NAME" or, when the event has
	// args, "NAME {...the args as JSON...}"
	const found = new Map();
	for (let p = 1; p <= profiles; p++) {
		debug(`profile ${p}/${profiles}`);
		if (p > 1) {
			// its 'n' key shows the next profile (not while typing)
			await page.evaluate(() => document.activeElement && document.activeElement.blur());
			await page.keyboard.press('n');
			await page.waitForFunction(`(() => {
				for (const e of document.querySelectorAll('span'))
					if (e.textContent.trim() === '(${p}/${profiles})')
						return true;
				return false;
			})()`, null, { polling: 100 });
		}
		for (const name of names) {
			if (found.has(name))
				continue;
			const r = await rows(name);
			const hits = r.filter((n) => n === name || n.startsWith(name + ' {'));
			if (hits.length === 0)
				continue;
			const hit = hits[0];
			const w = await weights(hit);
			found.set(name, `found ${name}` +
				(hit === name ? '' : ` as '${hit.slice(0, 120)}'`) +
				(hits.length > 1 ? ` and ${hits.length - 1} more frames` : '') +
				(profiles > 1 ? ` in profile ${p}/${profiles}` : '') +
				(w ? ` total ${w[0]} self ${w[1]}` : ''));
		}
		if (found.size === names.length)
			break;
	}
	let missing = 0;
	for (const name of names) {
		if (found.has(name))
			console.log(found.get(name));
		else {
			console.log(`missing ${name}${profiles > 1 ? ` (in none of ${profiles} profiles)` : ''}`);
			missing++;
		}
	}
	if (process.env.SPEEDSCOPE_SCREENSHOT) {
		// for a person: the search closed, the Left Heavy flame graph
		// (its '2' key) of the profile shown, once drawn
		await search.press('Escape');
		await search.waitFor({ state: 'hidden' });
		await page.keyboard.press('2');
		await page.locator('canvas').first().waitFor({ state: 'visible' });
		await page.evaluate(() => new Promise((ok) =>
			requestAnimationFrame(() => requestAnimationFrame(ok))));
		await shot(page);
	}
	if (failures.length)
		console.log(`speedscope: note: ${failures.join('; ')}`);
	return missing ? 1 : 0;
}

function debug(msg) {
	if (process.env.SPEEDSCOPE_DEBUG)
		console.error(`debug: ${msg}`);
}

async function shot(page) {
	if (process.env.SPEEDSCOPE_SCREENSHOT)
		await page.screenshot({ path: process.env.SPEEDSCOPE_SCREENSHOT }).catch(() => {});
}
