// Browser tests of the dashboard: Debian's Chromium driven by playwright-core (which never downloads a browser).
// tests/Orchestrator.FunctionalTests/Dashboard/DashboardBrowserTests.cs starts the API loaded with
// tests/Orchestrator.FunctionalTests/TestData/jobs.json and runs one case per process: `node dist-test/cases.js <case>`
// (`npm test` against an API you started runs the cases that need nothing else).
// Environment: DASHBOARD_URL (the dashboard, e.g. http://127.0.0.1:5080/dashboard/), CHROMIUM_PATH, ARTIFACTS
// (where screenshots and the axe report go), DASHBOARD_TOKEN (the good token, for the token case) and
// API_ORIGIN (the other origin the dashboard calls, for the CORS case).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const dashboardUrl = required("DASHBOARD_URL").replace(/\/?$/, "/");
const artifacts = process.env.ARTIFACTS ?? path.join(here, "..", "artifacts");
const timeout = 15_000;
mkdirSync(artifacts, { recursive: true });

function required(name: string): string {
    const value = process.env[name];
    if (value === undefined || value === "")
        throw new Error(`${name} is not set (tests/Orchestrator.FunctionalTests/Dashboard/DashboardBrowserTests.cs sets it)`);
    return value;
}

interface Session {
    readonly browser: Browser;
    readonly context: BrowserContext;
    readonly page: Page;
    /** Console errors and uncaught exceptions: a case fails on any it did not expect. */
    readonly problems: string[];
    readonly requests: Request[];
}

async function open(viewport = { width: 1280, height: 900 }): Promise<Session> {
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-dev-shm-usage"],
    });
    const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    const problems: string[] = [];
    const requests: Request[] = [];
    page.on("console", message => {
        if (message.type() === "error" || message.type() === "warning")
            problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", error => problems.push(`page error: ${error.message}`));
    page.on("request", request => requests.push(request));
    return { browser, context, page, problems, requests };
}

async function close(session: Session, allowed: RegExp[] = []): Promise<void> {
    await session.browser.close();
    const unexpected = session.problems.filter(problem => !allowed.some(pattern => pattern.test(problem)));
    assert.deepEqual(unexpected, [], "the page logged errors");
}

async function rows(page: Page, table: string): Promise<string[]> {
    return page.locator(`${table} tbody th[scope=row]`).allInnerTexts();
}

async function jobNames(page: Page): Promise<string[]> {
    return rows(page, "table.jobs");
}

async function expectJobs(page: Page, names: string[], caption: string): Promise<void> {
    await page.locator("table.jobs caption", { hasText: caption }).waitFor();
    await page.waitForFunction(expected => [...document.querySelectorAll("table.jobs tbody th[scope=row]")]
        .map(cell => cell.textContent).join() === expected, names.join());
    assert.deepEqual(await jobNames(page), names);
}

async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

function announce(stage: string): void {
    console.log(`STAGE ${stage}`);
}

const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();

/** Waits for the test driving this process to say it has done its part (it writes a line). */
async function awaitGoAhead(): Promise<void> {
    const line = await lines.next();
    assert.ok(!line.done, "the test closed standard input before going ahead");
}

const cases: Record<string, () => Promise<void>> = {
    /** The list loads the newest first, pages with the total, orders by a column header, and Back restores it. */
    async list() {
        const session = await open();
        const { page } = session;
        await page.goto(dashboardUrl);
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        assert.equal(await page.locator("h1").innerText(), "Jobs");
        assert.equal(await page.locator("table.jobs tbody tr").first().locator("a").getAttribute("href"), "/dashboard/jobs/1238");
        const first = page.locator("table.jobs tbody tr").first();
        assert.equal(await first.locator(".badge").innerText(), "failed");
        assert.equal(await first.locator("td").nth(1).innerText(), "task\npackage::install");
        assert.equal(await first.locator("td").nth(2).innerText(), "carol");
        assert.equal(await first.locator("td").nth(3).innerText(), "production");
        assert.equal(await first.locator(".bar").getAttribute("aria-label"), "1 errored");
        // The exact UTC time shows on keyboard focus.
        const time = first.locator("time.when");
        assert.equal(await time.getAttribute("datetime"), "2016-05-24T12:00:09Z");
        await time.focus();
        assert.equal((await time.locator(".exact").innerText()).replace(/^,\s*/, ""), "2016-05-24 12:00:09 UTC");
        assert.ok(((await time.locator(".exact").boundingBox())?.width ?? 0) > 50, "the exact time is shown on focus");
        await shoot(page, "list");

        // Refreshes are conditional: the unchanged list comes back 304 and is not drawn again.
        await page.locator(".checked", { hasText: "no change" }).waitFor({ timeout: 12_000 });
        // A hidden tab asks nothing; shown again, it catches up at once.
        const isJobs = (request: Request): boolean => new URL(request.url()).pathname === "/orchestrator/v1/jobs";
        const listed = (): number => session.requests.filter(isJobs).length;
        await page.evaluate(() => {
            Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
            document.dispatchEvent(new Event("visibilitychange"));
        });
        const whileHidden = listed();
        await page.waitForTimeout(6000);
        assert.equal(listed(), whileHidden, "no request while the tab is hidden");
        const caughtUp = page.waitForRequest(isJobs, { timeout: 2000 });
        await page.evaluate(() => {
            delete (document as { hidden?: boolean }).hidden;
            document.dispatchEvent(new Event("visibilitychange"));
        });
        await caughtUp;

        await page.goto(`${dashboardUrl}?limit=4`);
        await expectJobs(page, ["1238", "1237", "1236", "1235"], "Jobs 1–4 of 6");
        assert.equal(await page.locator(".pager .position").evaluate(element => element.textContent), "Page 1 of 2, 6 jobs");
        await page.getByRole("link", { name: "Next ›" }).click();
        await expectJobs(page, ["1239", "1234"], "Jobs 5–6 of 6");
        assert.equal(new URL(page.url()).search, "?limit=4&offset=4");

        await page.getByRole("button", { name: "Job" }).click();
        await expectJobs(page, ["1234", "1235", "1236", "1237"], "Jobs 1–4 of 6");
        assert.equal(new URL(page.url()).search, "?order_by=name&order=asc&limit=4");
        assert.equal(await page.locator("th[aria-sort]").textContent(), "Job▲");
        assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.focus), "sort-name", "the header keeps the focus");
        await page.keyboard.press("Enter");
        await expectJobs(page, ["1239", "1238", "1237", "1236"], "Jobs 1–4 of 6");
        assert.equal(await page.locator("th[aria-sort]").getAttribute("aria-sort"), "descending");

        await page.goBack();
        await expectJobs(page, ["1234", "1235", "1236", "1237"], "Jobs 1–4 of 6");
        await page.goBack();
        await expectJobs(page, ["1239", "1234"], "Jobs 5–6 of 6");

        await page.setViewportSize({ width: 360, height: 800 });
        await page.goto(dashboardUrl);
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), "the page does not scroll sideways at 360 px");
        await shoot(page, "list-360");
        await close(session);
    },

    /** Filters come from the URL into the form, go from the form into the URL, and Back undoes them. */
    async filter() {
        const session = await open();
        const { page } = session;
        await page.goto(`${dashboardUrl}?state=finished,failed&environment=production&order_by=name&order=asc`);
        await expectJobs(page, ["1234", "1235", "1238"], "Jobs 1–3 of 3");
        assert.equal(await page.locator(".filters summary").innerText(), "Filters (2 active)");
        assert.ok(await page.getByRole("checkbox", { name: "finished" }).isChecked());
        assert.ok(await page.getByRole("checkbox", { name: "failed" }).isChecked());
        assert.ok(!(await page.getByRole("checkbox", { name: "running" }).isChecked()));
        assert.equal(await page.getByLabel("Environment").inputValue(), "production");

        await page.getByLabel("Owner (login)").fill("carol");
        await page.getByRole("button", { name: "Apply filters" }).click();
        await expectJobs(page, ["1238"], "Jobs 1–1 of 1");
        assert.deepEqual(Object.fromEntries(new URL(page.url()).searchParams),
            { state: "finished,failed", owner: "carol", environment: "production", order_by: "name", order: "asc" });

        await page.goBack();
        await expectJobs(page, ["1234", "1235", "1238"], "Jobs 1–3 of 3");
        assert.equal(await page.getByLabel("Owner (login)").inputValue(), "");

        await page.goto(`${dashboardUrl}?type=task&task=package&order_by=name&order=asc`);
        await expectJobs(page, ["1235", "1238"], "Jobs 1–2 of 2");
        await page.goto(`${dashboardUrl}?max_finish_timestamp=2016-05-21T00:00:00Z&order_by=name&order=asc`);
        await expectJobs(page, ["1234", "1239"], "Jobs 1–2 of 2");
        assert.equal(await page.getByLabel("Finished until (UTC)").inputValue(), "2016-05-21T00:00");

        // A filter the API refuses: its kind and msg are shown, never swallowed.
        await page.goto(`${dashboardUrl}?type=deploy&task=package`);
        const error = page.getByRole("alert");
        await error.waitFor();
        assert.match(await error.innerText(), /Loading the jobs failed \(HTTP 400\): puppetlabs\.orchestrator\/validation-error/);
        assert.match(await error.locator(".msg").innerText(), /\S/);
        await close(session, [/status of 400/]);
    },

    /** One job: header, options, state history, nodes (expand, filter, order) and events, then its report. */
    async job() {
        const session = await open();
        const { page } = session;
        await page.goto(`${dashboardUrl}jobs/1236`);
        await page.locator("h1 .badge", { hasText: "running" }).waitFor();
        assert.match(await page.locator("h1").innerText(), /^Job 1236\s+running$/);
        const facts = Object.fromEntries(await page.locator("dl.facts").first().evaluate(list =>
            [...list.querySelectorAll("dt")].map(term => [term.textContent, (term.nextElementSibling as HTMLElement).innerText])));
        assert.equal(facts.Owner, "carol");
        assert.equal(facts.Environment, "staging");
        assert.equal(facts.Command, "plan_task");
        assert.equal(facts.Description, "restart nginx from plan");
        assert.match(await page.locator("pre.json").first().innerText(), /"task": "service::restart"/);

        const history = await page.locator(".timeline li").allInnerTexts();
        assert.equal(history.length, 3);
        assert.match(history[0], /^new\s+2016-05-22 10:00:00 UTC → 10:00:01 UTC\s+1 s$/);
        assert.match(history[1], /^ready\s+2016-05-22 10:00:01 UTC → 10:00:05 UTC\s+4 s$/);
        assert.match(history[2], /^running\s+2016-05-22 10:00:05 UTC until now\s+.* so far$/);

        await page.locator("table.nodes-table caption", { hasText: "Nodes 1–3 of 3" }).waitFor();
        assert.deepEqual((await rows(page, "table.nodes-table")).map(text => text.split("\n")[0]), ["web-01.example.com", "web-02.example.com", "web-03.example.com"]);
        assert.equal(await page.locator(".nodes-bar .bar").getAttribute("aria-label"), "1 finished, 1 running, 1 new");
        await page.locator("table.events-table caption", { hasText: "Events (3)" }).waitFor();
        assert.deepEqual(await page.locator("table.events-table tbody td:first-child").allInnerTexts(), ["301", "302", "303"]);
        assert.match(await page.locator(".tail-status").innerText(), /^3 events\. Following new events/);

        const web02 = page.getByRole("button", { name: "web-02.example.com" });
        await web02.click();
        assert.equal(await web02.getAttribute("aria-expanded"), "true");
        const detail = page.locator("tr.node-detail:not([hidden])");
        assert.match(await detail.innerText(), /"_output": "nginx restarted"/);
        assert.match(await detail.innerText(), /Finished task service::restart on web-02\.example\.com/);
        await shoot(page, "job");

        await page.getByLabel("State", { exact: true }).selectOption("finished");
        await page.getByRole("button", { name: "Show" }).click();
        await page.locator("table.nodes-table caption", { hasText: "Nodes 1–1 of 1, finished" }).waitFor();
        assert.equal(new URL(page.url()).search, "?node_state=finished");
        await page.goto(`${dashboardUrl}jobs/1236`);
        await page.locator("table.nodes-table caption", { hasText: "Nodes 1–3 of 3" }).waitFor();
        await page.getByRole("button", { name: "Duration" }).click();
        await page.waitForFunction(() => location.search === "?node_order_by=duration");
        await page.waitForFunction(() => document.querySelector("table.nodes-table th[aria-sort]")?.textContent?.startsWith("Duration"));

        await page.setViewportSize({ width: 360, height: 800 });
        await page.reload();
        await page.locator("table.events-table caption", { hasText: "Events (3)" }).waitFor();
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), "the page does not scroll sideways at 360 px");
        await shoot(page, "job-360");

        await page.setViewportSize({ width: 1280, height: 900 });
        await page.getByRole("link", { name: "Report by node" }).click();
        await page.locator("h1", { hasText: "Report of job 1236" }).waitFor();
        await page.locator(".report-node").first().waitFor();
        assert.deepEqual(await page.locator(".report-node h2").allTextContents(), ["web-01.example.com running", "web-02.example.com finished", "web-03.example.com new"]);
        await shoot(page, "report");

        await page.goto(`${dashboardUrl}jobs/999`);
        await page.getByRole("alert").waitFor();
        assert.match(await page.getByRole("alert").innerText(), /HTTP 404\): puppetlabs\.orchestrator\/unknown-job/);
        await close(session, [/status of 404/]);
    },

    /** The tail shows events imported while it watches, and stops asking once job_finished arrives. */
    async tail() {
        const session = await open();
        const { page, requests } = session;
        await page.goto(`${dashboardUrl}jobs/1236`);
        await page.locator("table.events-table caption", { hasText: "Events (3)" }).waitFor();
        announce("watching");
        await awaitGoAhead();

        await page.locator("table.events-table caption", { hasText: "Events (5)" }).waitFor();
        assert.deepEqual(await page.locator("table.events-table tbody td:first-child").allInnerTexts(), ["301", "302", "303", "304", "305"]);
        assert.match(await page.locator(".tail-status").innerText(), /^2 new events\. Following/);
        await page.locator(".nodes-bar .bar[aria-label='2 finished, 1 running']").waitFor();
        announce("picked-up");
        await awaitGoAhead();

        await page.locator(".tail-status.ended").waitFor();
        assert.equal(await page.locator(".tail-status").innerText(), "Stopped following: the job ended (job_finished at 2016-05-22 10:02:00 UTC).");
        assert.deepEqual(await page.locator("table.events-table tbody td:first-child").allInnerTexts(), ["301", "302", "303", "304", "305", "306", "307"]);
        await page.locator("h1 .badge", { hasText: "finished" }).waitFor();
        const events = (): number => requests.filter(request => new URL(request.url()).pathname.endsWith("/events")).length;
        const stoppedAt = events();
        await page.waitForTimeout(5000);
        assert.equal(events(), stoppedAt, "no events request after job_finished");
        await close(session);
    },

    /** 401 asks for a token; a wrong one asks again; the right one loads the jobs. It never leaves the header. */
    async token() {
        const good = required("DASHBOARD_TOKEN");
        const wrong = "wrong-0000000000";
        const session = await open();
        const { page, requests } = session;
        await page.goto(dashboardUrl);
        const dialog = page.getByRole("dialog");
        await dialog.waitFor();
        assert.equal(await dialog.locator("h2").innerText(), "The API needs a token");
        assert.match(await dialog.innerText(), /puppetlabs\.rbac\/user-unauthenticated/);

        await page.getByLabel("API token").fill(wrong);
        await page.getByRole("button", { name: "Use this token" }).click();
        await page.waitForFunction(() => document.querySelector("dialog[open]")?.textContent?.includes("invalid-token"));
        assert.match(await dialog.innerText(), /puppetlabs\.rbac\/invalid-token/);

        await page.getByLabel("API token").fill(good);
        await page.keyboard.press("Enter");
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        assert.ok(!(await dialog.isVisible()));

        const api = requests.filter(request => new URL(request.url()).pathname.startsWith("/orchestrator/"));
        const sent = await Promise.all(api.map(async request => (await request.allHeaders())["x-authentication"] ?? null));
        assert.deepEqual([...new Set(sent)], [null, wrong, good], "the token travels only in X-Authentication");
        assert.ok(requests.every(request => !request.url().includes(good) && !request.url().includes(wrong)), "no token in a URL");
        assert.ok(!page.url().includes(good));
        assert.ok(session.problems.every(problem => !problem.includes(good)), "no token in the console");
        assert.equal(await page.evaluate(() => sessionStorage.getItem("orchestrator.token")), good);
        assert.equal(await page.evaluate(() => localStorage.length), 0);

        await page.getByRole("button", { name: "Forget token" }).click();
        await dialog.waitFor();
        assert.equal(await page.evaluate(() => sessionStorage.getItem("orchestrator.token")), null);
        await shoot(page, "token");
        await close(session, [/status of 401/]);
    },

    /** Served from one origin, calling the API on another through its CORS setting, ETags and all. */
    async cors() {
        const apiOrigin = required("API_ORIGIN");
        const session = await open();
        const { page, requests } = session;
        await page.goto(dashboardUrl);
        assert.notEqual(new URL(page.url()).origin, apiOrigin);
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        const api = requests.filter(request => request.url().includes("/orchestrator/"));
        assert.ok(api.length > 0 && api.every(request => new URL(request.url()).origin === apiOrigin), "every API call goes to the API's origin");
        const response = await api[0].response();
        assert.equal((await response?.allHeaders())?.["access-control-allow-origin"], new URL(page.url()).origin);
        // The next refresh revalidates: only a readable ETag (exposed by CORS) makes that a 304.
        await page.locator(".checked", { hasText: "no change" }).waitFor({ timeout: 12_000 });
        await page.goto(`${dashboardUrl}jobs/1236`);
        await page.locator("table.events-table caption", { hasText: "Events (3)" }).waitFor();
        await close(session);
    },

    /** axe-core finds no serious or critical violation on the list, the job and the report; keyboard alone gets around. */
    async axe() {
        const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
        const session = await open();
        const { page } = session;
        const report: Record<string, unknown> = {};
        const check = async (name: string): Promise<void> => {
            await page.evaluate(source);
            const results = await page.evaluate(async () => {
                const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
                return (await axe.run(document, { resultTypes: ["violations"] })).violations;
            });
            report[name] = results;
            const serious = results.filter(violation => violation.impact === "serious" || violation.impact === "critical")
                .map(violation => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map(node => node.target.join(" ")).join(", ")}`);
            assert.deepEqual(serious, [], `axe on ${name}`);
        };
        for (const width of [1280, 360]) {
            await page.setViewportSize({ width, height: 900 });
            await page.goto(dashboardUrl);
            await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
            await check(`list at ${width} px`);
            await page.goto(`${dashboardUrl}jobs/1234`);
            await page.locator("table.events-table caption", { hasText: "Events" }).waitFor();
            await page.getByRole("button", { name: "web-01.example.com" }).click();
            await check(`job at ${width} px`);
            await page.goto(`${dashboardUrl}jobs/1234/report`);
            await page.locator(".report-node").first().waitFor();
            await check(`report at ${width} px`);
        }
        writeFileSync(path.join(artifacts, "axe.json"), JSON.stringify(report, null, 2));

        // Keyboard only: from the top of the list to a job, open a node, and back to the list.
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(dashboardUrl);
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        const focused = (): Promise<string> => page.evaluate(() => {
            const active = document.activeElement as HTMLElement | null;
            return `${active?.tagName.toLowerCase()} ${active?.getAttribute("href") ?? ""} ${active?.textContent?.trim() ?? ""}`;
        });
        const tabTo = async (pattern: RegExp): Promise<void> => {
            for (let i = 0; i < 80; i++) {
                await page.keyboard.press("Tab");
                if (pattern.test(await focused()))
                    return;
            }
            assert.fail(`Tab never reached ${pattern}`);
        };
        await tabTo(/^summary\s+Filters/);
        await page.keyboard.press("Enter");
        await tabTo(/^button\s+Apply filters/);
        await tabTo(/^button\s+State/);
        await tabTo(/^a \/dashboard\/jobs\/1236 /);
        await page.keyboard.press("Enter");
        await page.locator("h1", { hasText: "Job 1236" }).waitFor();
        await page.locator("table.nodes-table caption", { hasText: "Nodes 1–3 of 3" }).waitFor();
        await tabTo(/^button\s+web-02\.example\.com/);
        await page.keyboard.press("Enter");
        assert.equal(await page.getByRole("button", { name: "web-02.example.com" }).getAttribute("aria-expanded"), "true");
        await page.goBack();
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        await close(session);
    },

    /** No network, then a 503: a banner that retries with backoff, and the page recovers by itself or on demand. */
    async outage() {
        const session = await open();
        const { page } = session;
        await page.route("**/orchestrator/v1/jobs?*", route => route.abort("connectionrefused"));
        await page.goto(dashboardUrl);
        const banner = page.locator(".banner.shown");
        await banner.waitFor();
        assert.match(await banner.innerText(), /The API cannot be reached\. network: .* Retrying in \d s/);
        await page.unroute("**/orchestrator/v1/jobs?*");
        await page.route("**/orchestrator/v1/jobs?*", route => route.fulfill({
            status: 503, contentType: "application/json",
            body: JSON.stringify({ kind: "puppetlabs.orchestrator/database-unavailable", msg: "The job database is unavailable.", details: {} }),
        }));
        await page.getByRole("button", { name: "Retry now" }).click();
        await page.locator(".banner.shown", { hasText: "HTTP 503" }).waitFor();
        assert.match(await banner.innerText(), /puppetlabs\.orchestrator\/database-unavailable: The job database is unavailable\./);
        await shoot(page, "outage");
        await page.unroute("**/orchestrator/v1/jobs?*");
        await page.getByRole("button", { name: "Retry now" }).click();
        await expectJobs(page, ["1238", "1237", "1236", "1235", "1239", "1234"], "Jobs 1–6 of 6");
        await page.locator(".banner.shown").waitFor({ state: "detached" }).catch(() => undefined);
        assert.equal(await page.locator(".banner.shown").count(), 0);
        await close(session, [/ERR_CONNECTION_REFUSED/, /status of 503/]);
    },

    /** JavaScript and CSS at most 100 KB gzipped. */
    async size() {
        const dist = path.join(here, "..", "dist");
        const sizes = ["app.js", "app.css"].map(file => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
        const total = sizes.reduce((a, b) => a + b, 0);
        console.log(`app.js ${sizes[0]} B + app.css ${sizes[1]} B gzipped = ${total} B`);
        assert.ok(total <= 100 * 1024, `${total} bytes gzipped is over 100 KB`);
    },
};

// With no name: every case that needs only a running API loaded with jobs.json (tail, token and cors need the test
// that starts the API to set it up).
const standalone = ["list", "filter", "job", "axe", "outage", "size"];
const names = process.argv.length > 2 ? process.argv.slice(2) : standalone;
const unknown = names.filter(name => !(name in cases));
if (unknown.length > 0) {
    console.error(`unknown case ${unknown.join(", ")}; usage: node dist-test/cases.js [${Object.keys(cases).join("|")}]...`);
    process.exit(2);
}
let failed = 0;
for (const name of names) {
    try {
        await cases[name]();
        console.log(`PASS ${name}`);
    } catch (error) {
        failed++;
        console.error(`FAIL ${name}`);
        console.error(error);
    }
}
input.close();
console.log(`${names.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
