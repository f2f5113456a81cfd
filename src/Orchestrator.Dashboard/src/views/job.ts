import type { Failure } from "../api";
import type { EventDto, JobDto, JobNodesDto, NodeDto, NodeOrderBy, NodeState, SortOrder } from "../client";
import { badge, errorPanel, jsonBlock, legend, sortHeader, stateBar, when } from "../components";
import { fill, h, hidden, keepingFocus } from "../dom";
import { clockUtc, duration, exactUtc, json, login } from "../format";
import { Poller } from "../poller";
import type { Context, View } from "../shell";
import { refreshTimes } from "./jobs";

export const nodeStates: readonly NodeState[] = ["new", "ready", "running", "stopping", "stopped", "finished", "failed", "errored", "skipped"];
const terminalStates = new Set(["finished", "failed", "stopped"]);
const endEvents = new Set(["job_finished", "job_aborted"]);
const nodePageSize = 25;
const jobRefreshMs = 5000;
const tailMs = 2000;
const eventPageSize = 200;

interface NodesQuery {
    readonly state: string;
    readonly orderBy: NodeOrderBy;
    readonly order: SortOrder;
    readonly offset: number;
}

function readNodesQuery(params: URLSearchParams): NodesQuery {
    const offset = params.get("node_offset");
    return {
        state: params.get("node_state") ?? "",
        orderBy: (params.get("node_order_by") || "name") as NodeOrderBy,
        order: (params.get("node_order") || "asc") as SortOrder,
        offset: offset === null || offset === "" ? 0 : /^\d+$/.test(offset) ? Number(offset) : Number.NaN,
    };
}

function writeNodesQuery(query: NodesQuery): string {
    const params = new URLSearchParams();
    if (query.state !== "")
        params.set("node_state", query.state);
    if (query.orderBy !== "name")
        params.set("node_order_by", query.orderBy);
    if (query.order !== "asc")
        params.set("node_order", query.order);
    if (query.offset !== 0)
        params.set("node_offset", String(query.offset));
    const text = params.toString();
    return text === "" ? "" : `?${text}`;
}

/**
 * One job at /dashboard/jobs/{id}: its header and options, the state history, the nodes (ordered, filtered and
 * paged, each expanding to its details and result), and a tail of its events that stops when the job ends.
 */
export function jobView(id: number, context: Context): View {
    let nodesQuery = readNodesQuery(context.url.searchParams);
    let job: JobDto | null = null;
    const jobChannel = context.api.channel();
    const eventsChannel = context.api.channel();
    const expanded = new Set<string>();

    const badgeSlot = h("span", { class: "title-badge" });
    const errors = h("div", { class: "errors" });
    const summary = h("div", { class: "summary" });
    const timeline = h("ol", { class: "timeline" });
    const nodesBar = h("div", { class: "nodes-bar" });
    const nodesFilter = h("div", { class: "nodes-filter" });
    const nodesCaption = h("caption", { id: "nodes-caption" }, "Nodes");
    const nodesHead = h("thead", {});
    const nodesBody = h("tbody", {}, h("tr", {}, h("td", { colspan: 5, class: "empty" }, "Loading nodes…")));
    const nodesPager = h("nav", { class: "pager", "aria-label": "Pages of nodes" });
    const tailStatus = h("p", { class: "tail-status", role: "status" }, "Loading events…");
    const tailChecked = h("p", { class: "checked" });
    const eventsCaption = h("caption", { id: "events-caption" }, "Events");
    const eventsBody = h("tbody", {});
    let eventCount = 0;
    let start: number | undefined;
    let tailEnded = false;
    let tailStarted = false;
    let optionsOpen: boolean | undefined;

    const element = h("article", { class: "page job-page" },
        h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: context.href("") }, "Jobs"), h("span", { "aria-hidden": "true" }, " › "), `Job ${id}`),
        h("h1", { tabindex: -1 }, `Job ${id} `, badgeSlot),
        errors,
        summary,
        h("section", { "aria-labelledby": "history-title" }, h("h2", { id: "history-title" }, "State history"), timeline),
        h("section", { "aria-labelledby": "nodes-title" },
            h("h2", { id: "nodes-title" }, "Nodes"),
            nodesBar,
            nodesFilter,
            h("div", { class: "table-wrap", role: "region", "aria-labelledby": "nodes-caption", tabindex: 0 },
                h("table", { class: "nodes-table" }, nodesCaption, nodesHead, nodesBody)),
            nodesPager),
        h("section", { "aria-labelledby": "events-title" },
            h("h2", { id: "events-title" }, "Events"),
            tailStatus,
            h("div", { class: "table-wrap", role: "region", "aria-labelledby": "events-caption", tabindex: 0 },
                h("table", { class: "events-table" }, eventsCaption,
                    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Id"), h("th", { scope: "col" }, "Time (UTC)"), h("th", { scope: "col" }, "Type"),
                        h("th", { scope: "col" }, "Node"), h("th", { scope: "col" }, "Message"))),
                    eventsBody)),
            tailChecked));

    const drawJob = (current: JobDto): void => {
        const now = Date.now();
        fill(badgeSlot, badge(current.state));
        document.title = `Job ${id} (${current.state}) · Orchestrator`;
        const item = (term: string, ...value: (Node | string)[]): HTMLElement[] => [h("dt", {}, term), h("dd", {}, ...value)];
        fill(summary,
            h("dl", { class: "facts" },
                item("State", badge(current.state)),
                item("Owner", login(current.owner)),
                item("Environment", current.environment?.name ?? "none"),
                item("Command", h("code", {}, current.command)),
                item("Type", current.type),
                item("Description", current.description ?? (typeof current.options?.description === "string" ? current.options.description : "none")),
                item("Last change", when(current.timestamp, now)),
                item("Nodes", String(current.node_count)),
                item("Report", h("a", { href: context.href(`jobs/${id}/report`) }, "Report by node"))),
            // The options open beside the facts on a wide screen; on a phone they would push the nodes far down.
            h("details", { class: "options", open: optionsOpen ?? window.matchMedia("(min-width: 48rem)").matches,
                ontoggle: (event: Event) => { optionsOpen = (event.target as HTMLDetailsElement).open; } },
                h("summary", {}, "Options"),
                jsonBlock("Options as JSON", json(current.options))));
        fill(timeline, current.status.map(status => {
            const exit = status.exit_time;
            const seconds = ((exit === null ? now : Date.parse(exit)) - Date.parse(status.enter_time)) / 1000;
            return h("li", { class: exit === null ? "current" : "" },
                badge(status.state),
                h("span", { class: "span" }, h("time", { datetime: status.enter_time }, exactUtc(status.enter_time)),
                    exit === null ? " until now" : [" → ", h("time", { datetime: exit }, exit.slice(0, 10) === status.enter_time.slice(0, 10) ? `${clockUtc(exit)} UTC` : exactUtc(exit))]),
                h("span", { class: "duration" }, exit === null ? `${duration(seconds)} so far` : duration(seconds)));
        }));
        fill(nodesBar, stateBar(current.node_states, "large"), legend(current.node_states));
        drawNodesFilter(current);
    };

    const go = (change: Partial<NodesQuery>): void =>
        context.navigate(context.href(`jobs/${id}`) + writeNodesQuery({ ...nodesQuery, ...change }));

    const drawNodesFilter = (current: JobDto): void => {
        const counts = current.node_states ?? {};
        const select = h("select", { id: "node-state", name: "node_state" },
            h("option", { value: "", selected: nodesQuery.state === "" }, `All states (${current.node_count})`),
            nodeStates.map(state => h("option", { value: state, selected: nodesQuery.state === state }, `${state} (${counts[state] ?? 0})`)));
        fill(nodesFilter, h("form", {
            "aria-label": "Filter nodes",
            onsubmit: (event: Event) => {
                event.preventDefault();
                go({ state: select.value, offset: 0 });
            },
        }, h("label", { for: "node-state" }, "State"), select, h("button", { type: "submit" }, "Show")));
    };

    const onSort = (column: string): void => {
        const orderBy = column as NodeOrderBy;
        go({ orderBy, order: orderBy === nodesQuery.orderBy && nodesQuery.order === "asc" ? "desc" : "asc", offset: 0 });
    };

    const drawNodes = (page: JobNodesDto, current: JobDto): void => {
        const total = nodesQuery.state === "" ? current.node_count : current.node_states?.[nodesQuery.state] ?? 0;
        const offset = Number.isNaN(nodesQuery.offset) ? 0 : nodesQuery.offset;
        const now = Date.now();
        keepingFocus(() => {
            const sort = { column: nodesQuery.orderBy as string, order: nodesQuery.order };
            fill(nodesHead, h("tr", {},
                sortHeader("Node", "name", sort, onSort),
                sortHeader("State", "state", sort, onSort),
                sortHeader("Duration", "duration", sort, onSort),
                sortHeader("Started", "start_timestamp", sort, onSort),
                sortHeader("Finished", "finish_timestamp", sort, onSort)));
            fill(nodesCaption, page.items.length === 0 ? "Nodes: none" : `Nodes ${offset + 1}–${offset + page.items.length} of ${total}`,
                nodesQuery.state === "" ? "" : `, ${nodesQuery.state}`);
            fill(nodesBody, page.items.length === 0
                ? h("tr", {}, h("td", { colspan: 5, class: "empty" }, nodesQuery.state === "" ? "This job has no nodes." : `No node is ${nodesQuery.state}.`))
                : page.items.flatMap((node, index) => nodeRows(node, index, now)));
            const link = (label: string, target: number | null, rel: string): HTMLElement => target === null
                ? h("span", { class: "page-link", "aria-disabled": "true" }, label)
                : h("a", { class: "page-link", rel, href: context.href(`jobs/${id}`) + writeNodesQuery({ ...nodesQuery, offset: target }) }, label);
            fill(nodesPager,
                link("‹ Previous", offset > 0 ? Math.max(0, offset - nodePageSize) : null, "prev"),
                h("span", { class: "position" }, `Page ${Math.floor(offset / nodePageSize) + 1} of ${Math.max(1, Math.ceil(total / nodePageSize))}`),
                link("Next ›", offset + nodePageSize < total ? offset + nodePageSize : null, "next"));
        });
    };

    const nodeRows = (node: NodeDto, index: number, now: number): HTMLTableRowElement[] => {
        const open = expanded.has(node.name);
        const detailId = `node-detail-${index}`;
        const detail = h("tr", { id: detailId, class: "node-detail", hidden: !open },
            h("td", { colspan: 5 },
                h("div", { class: "detail-grid" },
                    h("div", {}, h("h3", {}, "Details"), jsonBlock(`Details of ${node.name}`, json(node.details))),
                    h("div", {}, h("h3", {}, "Result"), jsonBlock(`Result of ${node.name}`, json(node.result))),
                    h("dl", { class: "facts small" },
                        h("dt", {}, "Transport"), h("dd", {}, node.transport ?? "none"),
                        h("dt", {}, "Latest event"), h("dd", {}, node["latest-event-id"] === null ? "none" : String(node["latest-event-id"])),
                        h("dt", {}, "Last activity"), h("dd", {}, when(node.timestamp, now) || "none"),
                        h("dt", {}, "Transaction"), h("dd", {}, node.transaction_uuid ?? "none")))));
        const toggle = h("button", {
            type: "button", class: "expand", "aria-expanded": String(open), "aria-controls": detailId, "data-focus": `node-${node.name}`,
            onclick: () => {
                const nowOpen = !expanded.has(node.name);
                if (nowOpen)
                    expanded.add(node.name);
                else
                    expanded.delete(node.name);
                toggle.setAttribute("aria-expanded", String(nowOpen));
                detail.hidden = !nowOpen;
            },
        }, h("span", { class: "chevron", "aria-hidden": "true" }), node.name, hidden(": details and result"));
        return [
            h("tr", { class: "node" },
                h("th", { scope: "row" }, toggle),
                h("td", {}, badge(node.state)),
                h("td", { class: "nowrap" }, node.duration === null ? "" : duration(node.duration)),
                h("td", { class: "nowrap" }, when(node.start_timestamp, now)),
                h("td", { class: "nowrap" }, when(node.finish_timestamp, now))),
            detail,
        ];
    };

    const refreshJob = async (signal: AbortSignal): Promise<boolean> => {
        const before = jobChannel.conditional.notModified;
        const current = await jobChannel.client.get(id, signal);
        const jobChanged = job === null || jobChannel.conditional.notModified === before;
        const asked = nodesQuery;
        const nodesBefore = jobChannel.conditional.notModified;
        const page = await jobChannel.client.getNodes(id, nodePageSize, asked.offset, asked.orderBy, asked.order,
            (asked.state || null) as NodeState | null, signal);
        const nodesChanged = jobChanged || jobChannel.conditional.notModified === nodesBefore || nodesBody.dataset.query !== writeNodesQuery(asked);
        job = current;
        errors.replaceChildren();
        if (jobChanged)
            drawJob(current);
        else
            refreshTimes(element);
        if (nodesChanged && asked === nodesQuery) {
            drawNodes(page, current);
            nodesBody.dataset.query = writeNodesQuery(asked);
        }
        if (!tailStarted) {
            // The tail starts once the job is known, so it can tell a job that has ended without a final event.
            tailStarted = true;
            tail.start();
        }
        return !(terminalStates.has(current.state) && tailEnded);
    };

    const followEvents = async (signal: AbortSignal): Promise<boolean> => {
        let fresh: EventDto[] = [];
        for (;;) {
            const page = await eventsChannel.client.getEvents(id, start, eventPageSize, signal);
            fresh = fresh.concat(page.items);
            start = Number(page["next-events"].event);
            if (page.items.length < eventPageSize)
                break;
        }
        const checkedAt = `Checked at ${clockUtc(new Date().toISOString())} UTC.`;
        if (fresh.length > 0) {
            const firstLoad = eventCount === 0 && eventsBody.dataset.loaded !== "true";
            eventsBody.append(...fresh.map(eventRow));
            eventCount += fresh.length;
            fill(eventsCaption, `Events (${eventCount})`);
            if (!firstLoad)
                jobPoller.now();
            tailStatus.textContent = firstLoad
                ? `${eventCount} event${eventCount === 1 ? "" : "s"}. Following new events every ${tailMs / 1000} s.`
                : `${fresh.length} new event${fresh.length === 1 ? "" : "s"}. Following new events every ${tailMs / 1000} s.`;
        } else if (eventsBody.dataset.loaded !== "true") {
            tailStatus.textContent = `No events yet. Following new events every ${tailMs / 1000} s.`;
        }
        eventsBody.dataset.loaded = "true";
        tailChecked.textContent = checkedAt;
        const end = fresh.find(event => endEvents.has(event.type));
        if (end !== undefined || (fresh.length === 0 && job !== null && terminalStates.has(job.state))) {
            tailEnded = true;
            tailStatus.textContent = end !== undefined
                ? `Stopped following: the job ended (${end.type} at ${exactUtc(end.timestamp)}).`
                : `Stopped following: the job is ${job!.state}.`;
            tailStatus.classList.add("ended");
            jobPoller.now();
            return false;
        }
        return true;
    };

    const eventRow = (event: EventDto): HTMLTableRowElement => {
        const node = typeof event.details?.node === "string" ? event.details.node : "";
        return h("tr", { class: `event e-${event.type}` },
            h("td", {}, event.id),
            h("td", { class: "nowrap" }, h("time", { datetime: event.timestamp }, exactUtc(event.timestamp).replace(" UTC", ""))),
            h("td", {}, h("span", { class: `badge e-${event.type}` }, event.type)),
            h("td", {}, node === "" ? h("span", { class: "none" }, "job") : node),
            h("td", {}, event.message ?? ""));
    };

    const failed = (what: string) => (failure: Failure): void => {
        fill(errors, errorPanel(failure, what));
        if (failure.status === 404) {
            tail.dispose();
            tailStatus.textContent = "";
        }
    };

    let jobPoller = new Poller(refreshJob, jobRefreshMs, context.host, failed(`Loading job ${id}`));
    const tail = new Poller(followEvents, tailMs, context.host, failed(`Following the events of job ${id}`));
    document.title = `Job ${id} · Orchestrator`;
    jobPoller.start();

    return {
        element,
        update(url: URL): void {
            nodesQuery = readNodesQuery(url.searchParams);
            if (job !== null)
                drawNodesFilter(job);
            if (jobPoller.active) {
                jobPoller.now();
            } else {
                // The job has ended and its poller stopped: one more run draws the nodes asked for, then stops.
                jobPoller = new Poller(refreshJob, jobRefreshMs, context.host, failed(`Loading job ${id}`));
                jobPoller.start();
            }
        },
        dispose(): void {
            jobPoller.dispose();
            tail.dispose();
        },
    };
}
