import type { Channel } from "../api";
import type { JobDto, JobListDto, JobOrderBy, JobState, JobType, SortOrder } from "../client";
import { badge, errorPanel, sortHeader, stateBar, when } from "../components";
import { fill, h, hidden, keepingFocus } from "../dom";
import { clockUtc, isoToLocalInput, localInputToIso, login, relative } from "../format";
import { Poller } from "../poller";
import type { Context, View } from "../shell";

export const jobStates: readonly JobState[] = ["new", "ready", "running", "stopping", "stopped", "finished", "failed"];
export const jobTypes: readonly JobType[] = ["deploy", "task", "plan_task", "plan_script", "plan_upload", "plan_command", "plan_wait", "plan_apply", "plan_apply_prep"];
const pageSizes = [10, 25, 50, 100];
export const refreshMs = 5000;

/** Everything the list shows, as the URL holds it (so a view can be shared and Back works). */
export interface JobsQuery {
    readonly limit: number;
    readonly offset: number;
    readonly orderBy: JobOrderBy;
    readonly order: SortOrder;
    readonly state: readonly string[];
    readonly owner: string;
    readonly environment: string;
    readonly type: string;
    readonly task: string;
    readonly minFinish: string;
    readonly maxFinish: string;
}

const defaults: JobsQuery = {
    limit: 25, offset: 0, orderBy: "timestamp", order: "desc",
    state: [], owner: "", environment: "", type: "", task: "", minFinish: "", maxFinish: "",
};

/**
 * Reads the list's URL. Values the dashboard does not know (a bad limit, an unknown state) go to the API as
 * they are, so its validation error, with kind and msg, is what the page shows.
 */
export function readQuery(params: URLSearchParams): JobsQuery {
    const number = (name: string, fallback: number): number => {
        const raw = params.get(name);
        return raw === null || raw === "" ? fallback : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    };
    return {
        limit: number("limit", defaults.limit),
        offset: number("offset", defaults.offset),
        orderBy: (params.get("order_by") || defaults.orderBy) as JobOrderBy,
        order: (params.get("order") || defaults.order) as SortOrder,
        state: params.getAll("state").flatMap(value => value.split(",")).map(value => value.trim()).filter(value => value !== ""),
        owner: params.get("owner") ?? "",
        environment: params.get("environment") ?? "",
        type: params.get("type") ?? "",
        task: params.get("task") ?? "",
        minFinish: params.get("min_finish_timestamp") ?? "",
        maxFinish: params.get("max_finish_timestamp") ?? "",
    };
}

/** The query string for a list view; values at their defaults are left out. */
export function writeQuery(query: JobsQuery): string {
    const params = new URLSearchParams();
    if (query.state.length > 0)
        params.set("state", query.state.join(","));
    for (const [name, value] of [["owner", query.owner], ["environment", query.environment], ["type", query.type], ["task", query.task],
        ["min_finish_timestamp", query.minFinish], ["max_finish_timestamp", query.maxFinish]] as const) {
        if (value !== "")
            params.set(name, value);
    }
    if (query.orderBy !== defaults.orderBy)
        params.set("order_by", query.orderBy);
    if (query.order !== defaults.order)
        params.set("order", query.order);
    if (query.limit !== defaults.limit)
        params.set("limit", String(query.limit));
    if (query.offset !== defaults.offset)
        params.set("offset", String(query.offset));
    const text = params.toString();
    return text === "" ? "" : `?${text}`;
}

function activeFilters(query: JobsQuery): number {
    return [query.state.length > 0, query.owner, query.environment, query.type, query.task, query.minFinish, query.maxFinish].filter(Boolean).length;
}

const columnNames: Record<JobOrderBy, string> = { name: "job id", state: "state", owner: "owner", environment: "environment", timestamp: "last change" };

/** The list of jobs at /dashboard/: filters, ordering by column, paging with the total, and a conditional refresh. */
export function jobsView(context: Context): View {
    let query = readQuery(context.url.searchParams);
    const channel: Channel = context.api.channel();
    const errors = h("div", { class: "errors" });
    const caption = h("caption", { id: "jobs-caption" }, "Jobs");
    const head = h("thead", {});
    const body = h("tbody", {}, h("tr", {}, h("td", { colspan: 7, class: "empty" }, "Loading jobs…")));
    const table = h("table", { class: "jobs", "aria-busy": "true" }, caption, head, body);
    const pager = h("nav", { class: "pager", "aria-label": "Pages of jobs" });
    const checked = h("p", { class: "checked" });
    const filters = h("details", { class: "filters" });
    let poller: Poller | null = null;

    const element = h("section", { class: "page jobs-page" },
        h("h1", { tabindex: -1 }, "Jobs"),
        filters,
        errors,
        h("div", { class: "table-wrap", role: "region", "aria-labelledby": "jobs-caption", tabindex: 0 }, table),
        pager,
        checked);

    const go = (change: Partial<JobsQuery>): void => context.navigate(context.href("") + writeQuery({ ...query, ...change }));

    const onSort = (column: string): void => {
        const orderBy = column as JobOrderBy;
        const order: SortOrder = orderBy === query.orderBy ? (query.order === "asc" ? "desc" : "asc") : orderBy === "timestamp" ? "desc" : "asc";
        go({ orderBy, order, offset: 0 });
    };

    const drawHead = (): void => {
        const current = { column: query.orderBy, order: query.order };
        fill(head, h("tr", {},
            sortHeader("Job", "name", current, onSort),
            sortHeader("State", "state", current, onSort),
            h("th", { scope: "col" }, "Command"),
            sortHeader("Owner", "owner", current, onSort),
            sortHeader("Environment", "environment", current, onSort),
            sortHeader("Last change", "timestamp", current, onSort),
            h("th", { scope: "col" }, "Nodes")));
    };

    const draw = (page: JobListDto): void => {
        const { total, offset, limit } = page.pagination;
        const first = page.items.length === 0 ? 0 : offset + 1;
        const last = offset + page.items.length;
        const now = Date.now();
        keepingFocus(() => {
            drawHead();
            fill(caption, `Jobs ${first}–${last} of ${total}`, h("span", { class: "order" },
                `, by ${columnNames[page.pagination.order_by] ?? page.pagination.order_by}, ${page.pagination.order === "asc" ? "ascending" : "descending"}`));
            fill(body, page.items.length === 0
                ? h("tr", {}, h("td", { colspan: 7, class: "empty" }, activeFilters(query) > 0 ? "No job matches these filters." : "No jobs yet."))
                : page.items.map(job => row(job, now)));
            table.setAttribute("aria-busy", "false");
            drawPager(total, offset, limit);
        });
    };

    const row = (job: JobDto, now: number): HTMLTableRowElement => {
        const detail = subtitle(job);
        return h("tr", {},
            h("th", { scope: "row" }, h("a", { href: context.href(`jobs/${job.name}`) }, job.name)),
            h("td", {}, badge(job.state)),
            h("td", {}, h("span", { class: "command" }, job.command), detail === "" ? null : h("span", { class: "sub" }, detail)),
            h("td", {}, login(job.owner)),
            h("td", {}, job.environment?.name ?? h("span", { class: "none" }, "none")),
            h("td", { class: "nowrap" }, when(job.timestamp, now)),
            h("td", { class: "nodes" }, h("span", { class: "count" }, job.node_count), stateBar(job.node_states)));
    };

    const drawPager = (total: number, offset: number, limit: number): void => {
        const link = (label: string, target: number | null, rel: string): HTMLElement => target === null
            ? h("span", { class: `page-link ${rel}`, "aria-disabled": "true" }, label)
            : h("a", { class: `page-link ${rel}`, rel, href: context.href("") + writeQuery({ ...query, offset: target }) }, label);
        const size = Math.max(1, limit);
        const previous = offset > 0 ? Math.max(0, offset - size) : null;
        const next = offset + size < total ? offset + size : null;
        const lastPage = total > 0 ? Math.floor((total - 1) / size) * size : 0;
        fill(pager,
            link("« First", offset > 0 ? 0 : null, "first"),
            link("‹ Previous", previous, "prev"),
            h("span", { class: "position" }, `Page ${Math.floor(offset / size) + 1} of ${Math.max(1, Math.ceil(total / size))}`, hidden(`, ${total} jobs`)),
            link("Next ›", next, "next"),
            link("Last »", offset < lastPage ? lastPage : null, "last"));
    };

    const drawFilters = (): void => {
        const count = activeFilters(query);
        const input = (id: string, label: string, value: string, attributes: Record<string, string> = {}): HTMLElement =>
            h("div", { class: "field" }, h("label", { for: id }, label), h("input", { id, name: id, value, ...attributes }));
        const form = h("form", { role: "search", "aria-label": "Filter jobs", onsubmit: (event: Event) => apply(event, form) },
            h("fieldset", { class: "states" }, h("legend", {}, "State"),
                jobStates.map(state => h("label", { class: "check" },
                    h("input", { type: "checkbox", name: "state", value: state, checked: query.state.includes(state) }), badge(state)))),
            h("div", { class: "fields" },
                input("owner", "Owner (login)", query.owner, { autocomplete: "off" }),
                input("environment", "Environment", query.environment, { autocomplete: "off" }),
                h("div", { class: "field" }, h("label", { for: "type" }, "Type"),
                    h("select", { id: "type", name: "type" },
                        h("option", { value: "", selected: query.type === "" }, "Any type"),
                        jobTypes.map(type => h("option", { value: type, selected: query.type === type }, type)))),
                input("task", "Task name contains", query.task, { autocomplete: "off" }),
                input("min_finish", "Finished from (UTC)", isoToLocalInput(query.minFinish), { type: "datetime-local", step: "1" }),
                input("max_finish", "Finished until (UTC)", isoToLocalInput(query.maxFinish), { type: "datetime-local", step: "1" }),
                h("div", { class: "field" }, h("label", { for: "limit" }, "Jobs per page"),
                    h("select", { id: "limit", name: "limit" }, pageSizes.map(size => h("option", { value: size, selected: query.limit === size }, size))))),
            h("div", { class: "actions" },
                h("button", { type: "submit", class: "primary" }, "Apply filters"),
                h("a", { href: context.href("") + writeQuery({ ...defaults, orderBy: query.orderBy, order: query.order, limit: query.limit }) }, "Clear filters")));
        const wasOpen = filters.open;
        fill(filters, h("summary", {}, "Filters", count > 0 ? ` (${count} active)` : ""), form);
        // Closed until used, so the jobs come first; open while any filter is on, so it shows what is filtered.
        filters.open = wasOpen || count > 0;
    };

    const apply = (event: Event, form: HTMLFormElement): void => {
        event.preventDefault();
        const data = new FormData(form);
        const text = (name: string): string => String(data.get(name) ?? "").trim();
        go({
            state: data.getAll("state").map(String),
            owner: text("owner"), environment: text("environment"), type: text("type"), task: text("task"),
            minFinish: localInputToIso(text("min_finish")), maxFinish: localInputToIso(text("max_finish")),
            limit: Number(text("limit")) || defaults.limit,
            offset: 0,
        });
    };

    const refresh = async (signal: AbortSignal): Promise<boolean> => {
        const asked = query;
        const before = channel.conditional.notModified;
        const page = await channel.client.list(asked.limit, asked.offset, asked.orderBy, asked.order,
            (asked.type || null) as JobType | null, asked.task || null, asked.minFinish || null, asked.maxFinish || null,
            asked.state.length > 0 ? asked.state as JobState[] : null, asked.owner || null, asked.environment || null, signal);
        errors.replaceChildren();
        const unchanged = channel.conditional.notModified !== before && table.getAttribute("aria-busy") === "false";
        if (asked === query) {
            if (unchanged)
                refreshTimes(element);
            else
                draw(page);
            checked.textContent = `Checked at ${clockUtc(new Date().toISOString())} UTC${unchanged ? ": no change" : ""}. Refreshes every ${refreshMs / 1000} s while this tab is shown.`;
        }
        return true;
    };

    const startPolling = (): void => {
        poller?.dispose();
        poller = new Poller(refresh, refreshMs, context.host, failure => {
            table.setAttribute("aria-busy", "false");
            fill(errors, errorPanel(failure, "Loading the jobs"));
            fill(body, h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No jobs to show.")));
            checked.textContent = "";
        });
        poller.start();
    };

    drawHead();
    drawFilters();
    document.title = "Jobs · Orchestrator";
    startPolling();

    return {
        element,
        update(url: URL): void {
            query = readQuery(url.searchParams);
            drawFilters();
            table.setAttribute("aria-busy", "true");
            if (poller?.active)
                poller.now();
            else
                startPolling();
        },
        dispose(): void {
            poller?.dispose();
        },
    };
}

/** The task or plan a job ran, and its type where that differs from the command. */
function subtitle(job: JobDto): string {
    const options = (typeof job.options === "object" && job.options !== null ? job.options : {}) as Record<string, unknown>;
    const named = [options.task, options.plan_name, options.plan].find(value => typeof value === "string") as string | undefined;
    return [job.type !== job.command ? job.type : "", named ?? ""].filter(part => part !== "").join(" · ");
}

/** Brings "3 minutes ago" up to date without drawing the table again. */
export function refreshTimes(root: Element): void {
    const now = Date.now();
    for (const time of root.querySelectorAll<HTMLTimeElement>("time.when")) {
        const first = time.firstChild;
        if (first !== null && first.nodeType === Node.TEXT_NODE)
            first.textContent = relative(time.dateTime, now);
    }
}
