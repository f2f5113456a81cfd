import { Api, token, type Failure } from "./api";
import { h, fill } from "./dom";
import type { PollHost, Poller } from "./poller";

/** A page of the dashboard. `update` takes a new URL of the same page without drawing it again. */
export interface View {
    readonly element: HTMLElement;
    update?(url: URL): void;
    dispose(): void;
}

export interface Context {
    readonly api: Api;
    readonly host: PollHost;
    readonly url: URL;
    /** Goes to `href` (a path under the dashboard, with its query) and adds it to the history. */
    navigate(href: string): void;
    /** The dashboard's own path for a route: href("jobs/1234"). */
    href(path: string): string;
}

export type Route =
    | { readonly page: "jobs" }
    | { readonly page: "job"; readonly id: number }
    | { readonly page: "report"; readonly id: number }
    | { readonly page: "missing" };

export function route(pathname: string, basePath: string): Route {
    const inside = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname + "/" === basePath ? "" : null;
    if (inside === null)
        return { page: "missing" };
    const parts = inside.split("/").filter(part => part !== "");
    if (parts.length === 0)
        return { page: "jobs" };
    if (parts[0] === "jobs" && parts.length >= 2 && parts.length <= 3 && /^\d{1,15}$/.test(parts[1])) {
        const id = Number(parts[1]);
        if (parts.length === 2)
            return { page: "job", id };
        if (parts[2] === "report")
            return { page: "report", id };
    }
    return { page: "missing" };
}

type Mount = (route: Route, context: Context) => View;

/**
 * The frame around every page: the header with the token control, the banner for transient failures, the token
 * prompt, and history routing (links under the dashboard's path change the page without reloading it).
 */
export class Shell implements PollHost {
    private readonly main: HTMLElement;
    private readonly banner: HTMLElement;
    private readonly tokenControl: HTMLElement;
    private readonly dialog: HTMLDialogElement;
    private readonly transientFailures = new Map<Poller, { failure: Failure; retry: () => void; at: number }>();
    private readonly waitingForToken = new Map<Poller, () => void>();
    private authFailure: Failure | null = null;
    private countdown: ReturnType<typeof setInterval> | undefined;
    private view: View | null = null;
    private current: { route: Route; url: URL } | null = null;

    constructor(root: HTMLElement, private readonly api: Api, private readonly basePath: string, private readonly mount: Mount) {
        this.tokenControl = h("div", { class: "token" });
        this.banner = h("div", { class: "banner", role: "status", "aria-live": "polite" });
        this.main = h("main", { id: "main", tabindex: -1 });
        this.dialog = h("dialog", { class: "token-dialog", "aria-labelledby": "token-title" });
        fill(root,
            h("a", { class: "skip", href: "#main" }, "Skip to content"),
            h("header", { class: "top" },
                h("a", { class: "brand", href: this.href("") }, "Orchestrator jobs"),
                this.tokenControl),
            this.banner,
            this.main,
            this.dialog);
        this.drawTokenControl();
        root.addEventListener("click", this.onClick);
        window.addEventListener("popstate", () => this.show(new URL(location.href)));
    }

    start(): void {
        this.show(new URL(location.href));
    }

    href(path: string): string {
        return this.basePath + path;
    }

    navigate(href: string): void {
        const url = new URL(href, location.href);
        if (url.href === location.href)
            return;
        history.pushState(null, "", url);
        this.show(url);
    }

    transient(poller: Poller, failure: Failure, retryInMs: number, retry: () => void): void {
        this.transientFailures.set(poller, { failure, retry, at: Date.now() + retryInMs });
        this.drawBanner();
    }

    unauthorized(poller: Poller, failure: Failure, retry: () => void): void {
        this.waitingForToken.set(poller, retry);
        this.authFailure = failure;
        this.drawTokenControl();
        if (!this.dialog.open)
            this.askForToken();
    }

    recovered(poller: Poller): void {
        this.waitingForToken.delete(poller);
        if (this.transientFailures.delete(poller))
            this.drawBanner();
    }

    private show(url: URL): void {
        const next = route(url.pathname, this.basePath);
        const samePage = this.current !== null && this.view?.update !== undefined && JSON.stringify(this.current.route) === JSON.stringify(next);
        this.current = { route: next, url };
        if (samePage) {
            this.view!.update!(url);
            return;
        }
        this.view?.dispose();
        this.transientFailures.clear();
        this.waitingForToken.clear();
        this.drawBanner();
        this.view = this.mount(next, {
            api: this.api, host: this, url,
            navigate: href => this.navigate(href),
            href: path => this.href(path),
        });
        fill(this.main, this.view.element);
        // A new page: move the keyboard and screen reader to its heading, as a page load would.
        this.main.querySelector<HTMLElement>("h1")?.focus({ preventScroll: true });
        window.scrollTo(0, 0);
    }

    private readonly onClick = (event: MouseEvent): void => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
            return;
        const link = (event.target as Element | null)?.closest("a");
        if (link === null || link === undefined || link.target !== "" || link.hasAttribute("download"))
            return;
        const url = new URL(link.href);
        if (url.origin !== location.origin || !(url.pathname + "/").startsWith(this.basePath) || url.hash !== "")
            return;
        event.preventDefault();
        this.navigate(url.href);
    };

    private drawBanner(): void {
        clearInterval(this.countdown);
        const entries = [...this.transientFailures.values()];
        if (entries.length === 0) {
            this.banner.replaceChildren();
            this.banner.classList.remove("shown");
            return;
        }
        const latest = entries[entries.length - 1];
        // The countdown changes every second: not announced each time, only with the rest of the banner.
        const seconds = h("span", { "aria-live": "off" });
        const tick = (): void => {
            const left = Math.max(0, Math.ceil((Math.min(...entries.map(e => e.at)) - Date.now()) / 1000));
            seconds.textContent = left === 0 ? "now" : `in ${left} s`;
        };
        tick();
        this.countdown = setInterval(tick, 1000);
        this.banner.classList.add("shown");
        fill(this.banner,
            h("p", {},
                h("strong", {}, latest.failure.status === null ? "The API cannot be reached. " : `The API is unavailable (HTTP ${latest.failure.status}). `),
                h("code", { class: "kind" }, latest.failure.kind), ": ", latest.failure.msg, " Retrying ", seconds, ". "),
            h("button", { type: "button", onclick: () => entries.forEach(e => e.retry()) }, "Retry now"));
    }

    private drawTokenControl(): void {
        const saved = token.get() !== null;
        fill(this.tokenControl,
            this.authFailure !== null && this.waitingForToken.size > 0
                ? h("button", { type: "button", class: "primary", onclick: () => this.askForToken() }, "Enter a token")
                : saved
                    ? h("button", { type: "button", onclick: () => this.forgetToken() }, "Forget token")
                    : h("button", { type: "button", onclick: () => this.askForToken() }, "Use a token"));
    }

    private forgetToken(): void {
        token.clear();
        this.drawTokenControl();
        if (this.current !== null) {
            this.view?.dispose();
            this.view = null;
            this.current = null;
            this.show(new URL(location.href));
        }
    }

    private askForToken(): void {
        const failure = this.authFailure;
        const input = h("input", { id: "token-input", name: "token", type: "password", autocomplete: "off", spellcheck: "false", required: true });
        const forbidden = failure?.status === 403;
        fill(this.dialog,
            h("form", { method: "dialog", onsubmit: (event: Event) => this.onTokenSubmit(event, input) },
                h("h2", { id: "token-title" }, forbidden ? "This token may not view jobs" : "The API needs a token"),
                failure === null ? null : h("p", { class: "error-line" }, h("code", { class: "kind" }, failure.kind), ": ", failure.msg),
                h("p", {}, forbidden
                    ? "Enter a token with the orchestrator:view permission."
                    : "Enter an API token with the orchestrator:view permission. It is kept in this tab only (sessionStorage) and sent in the X-Authentication header."),
                h("label", { for: "token-input" }, "API token"),
                input,
                h("div", { class: "actions" },
                    h("button", { type: "submit", class: "primary" }, "Use this token"),
                    h("button", { type: "button", onclick: () => this.dialog.close() }, "Cancel"))));
        this.dialog.showModal();
        input.focus();
    }

    private onTokenSubmit(event: Event, input: HTMLInputElement): void {
        const value = input.value.trim();
        if (value === "") {
            event.preventDefault();
            return;
        }
        token.set(value);
        input.value = "";
        this.authFailure = null;
        const retries = [...this.waitingForToken.values()];
        this.waitingForToken.clear();
        this.drawTokenControl();
        if (retries.length === 0 && this.current !== null) {
            this.view?.dispose();
            this.current = null;
            this.show(new URL(location.href));
        }
        retries.forEach(retry => retry());
    }
}
