import type { JobReportDto } from "../client";
import { badge, errorPanel, when } from "../components";
import { fill, h } from "../dom";
import { exactUtc } from "../format";
import { Poller } from "../poller";
import type { Context, View } from "../shell";

/** The report of one job at /dashboard/jobs/{id}/report: each node with its state and its events. */
export function reportView(id: number, context: Context): View {
    const channel = context.api.channel();
    const errors = h("div", { class: "errors" });
    const content = h("div", { class: "report", "aria-busy": "true" }, h("p", {}, "Loading the report…"));
    const element = h("article", { class: "page report-page" },
        h("nav", { class: "crumbs", "aria-label": "Breadcrumb" },
            h("a", { href: context.href("") }, "Jobs"), h("span", { "aria-hidden": "true" }, " › "),
            h("a", { href: context.href(`jobs/${id}`) }, `Job ${id}`), h("span", { "aria-hidden": "true" }, " › "), "Report"),
        h("h1", { tabindex: -1 }, `Report of job ${id}`),
        errors,
        content);

    const draw = (report: JobReportDto): void => {
        const now = Date.now();
        content.setAttribute("aria-busy", "false");
        fill(content, report.items.length === 0
            ? h("p", { class: "empty" }, "This job has no nodes, so its report is empty.")
            : report.items.map((item, index) => h("section", { class: "report-node", "aria-labelledby": `report-node-${index}` },
                h("h2", { id: `report-node-${index}` }, item.node, " ", badge(item.state)),
                h("p", { class: "sub" }, item.timestamp ? ["Latest activity ", when(item.timestamp, now)] : "No activity yet"),
                item.events.length === 0
                    ? h("p", { class: "empty" }, "No events.")
                    : h("div", { class: "table-wrap", role: "region", "aria-label": `Events of ${item.node}`, tabindex: 0 },
                        h("table", { class: "events-table" },
                            h("caption", { class: "visually-hidden" }, `Events of ${item.node}`),
                            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Id"), h("th", { scope: "col" }, "Time (UTC)"),
                                h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Message"))),
                            h("tbody", {}, item.events.map(event => h("tr", {},
                                h("td", {}, event.id),
                                h("td", { class: "nowrap" }, h("time", { datetime: event.timestamp }, exactUtc(event.timestamp).replace(" UTC", ""))),
                                h("td", {}, h("span", { class: `badge e-${event.type}` }, event.type)),
                                h("td", {}, event.message ?? "")))))))));
    };

    const poller = new Poller(async signal => {
        draw(await channel.client.getReport(id, signal));
        errors.replaceChildren();
        return false;
    }, 0, context.host, failure => {
        content.setAttribute("aria-busy", "false");
        content.replaceChildren();
        fill(errors, errorPanel(failure, `Loading the report of job ${id}`));
    });
    document.title = `Report of job ${id} · Orchestrator`;
    poller.start();
    return { element, dispose: () => poller.dispose() };
}
