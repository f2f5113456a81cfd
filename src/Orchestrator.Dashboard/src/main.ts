import "./styles.css";
import { Api } from "./api";
import { h } from "./dom";
import { Shell, type Route, type View } from "./shell";
import { jobView } from "./views/job";
import { jobsView } from "./views/jobs";
import { reportView } from "./views/report";

/**
 * The API's base URL: the `orchestrator-api` meta tag when the server (or whoever hosts these files) fills it
 * in, else the origin and path base the dashboard was loaded from. Never from the page's URL: a link must not
 * be able to send the token somewhere else.
 */
function apiBaseUrl(base: URL): string {
    const configured = document.querySelector<HTMLMetaElement>('meta[name="orchestrator-api"]')?.content.trim() ?? "";
    return (configured !== "" ? configured : new URL("..", base).href).replace(/\/+$/, "");
}

const base = new URL(document.baseURI);
const api = new Api(apiBaseUrl(base));
const root = document.getElementById("app")!;

const shell = new Shell(root, api, base.pathname, (route: Route, context): View => {
    switch (route.page) {
        case "jobs":
            return jobsView(context);
        case "job":
            return jobView(route.id, context);
        case "report":
            return reportView(route.id, context);
        default:
            document.title = "Not found · Orchestrator";
            return {
                element: h("section", { class: "page" },
                    h("h1", { tabindex: -1 }, "No such page"),
                    h("p", {}, "The dashboard has the list of jobs, one job, and its report. ", h("a", { href: context.href("") }, "See the jobs."))),
                dispose: () => undefined,
            };
    }
});
shell.start();
