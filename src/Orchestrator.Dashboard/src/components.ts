import type { Failure } from "./api";
import { h, hidden } from "./dom";
import { exactUtc, relative } from "./format";

/** The state as text in a coloured badge: the colour is never the only signal. */
export function badge(state: string): HTMLSpanElement {
    return h("span", { class: `badge s-${state}` }, state);
}

/** A relative time; the exact UTC time shows on hover and on keyboard focus, and is read by screen readers. */
export function when(iso: string | null | undefined, now = Date.now()): HTMLElement | string {
    if (iso === null || iso === undefined)
        return "";
    const exact = exactUtc(iso);
    return h("time", { datetime: iso, tabindex: 0, class: "when" },
        relative(iso, now), h("span", { class: "exact" }, hidden(", "), exact));
}

const barOrder = ["finished", "failed", "errored", "running", "stopping", "stopped", "ready", "new", "skipped"];

/** A bar of nodes per state, with the counts as its accessible name. */
export function stateBar(states: Record<string, number> | null | undefined, size: "small" | "large" = "small"): HTMLElement {
    const entries = Object.entries(states ?? {})
        .filter(([, count]) => count > 0)
        .sort(([a], [b]) => order(a) - order(b));
    const label = entries.length === 0 ? "no nodes" : entries.map(([state, count]) => `${count} ${state}`).join(", ");
    const bar = h("span", { class: `bar bar-${size}`, role: "img", "aria-label": label, title: label });
    for (const [state, count] of entries) {
        const segment = h("span", { class: `segment s-${state}` });
        segment.style.flexGrow = String(count);
        bar.append(segment);
    }
    return bar;
}

function order(state: string): number {
    const index = barOrder.indexOf(state);
    return index < 0 ? barOrder.length : index;
}

/** The key under the bar: each state with its count. */
export function legend(states: Record<string, number> | null | undefined): HTMLElement {
    const entries = Object.entries(states ?? {}).filter(([, count]) => count > 0).sort(([a], [b]) => order(a) - order(b));
    return h("ul", { class: "legend" }, entries.map(([state, count]) =>
        h("li", {}, h("span", { class: `swatch s-${state}`, "aria-hidden": "true" }), `${count} ${state}`)));
}

/** An API error in the page: its kind and msg, and the details of a validation error. */
export function errorPanel(failure: Failure, what: string): HTMLElement {
    const details = failure.type === "error" ? Object.entries(failure.details) : [];
    return h("div", { class: "error", role: "alert" },
        h("p", {}, h("strong", {}, `${what} failed`), failure.status === null ? "" : ` (HTTP ${failure.status})`, ": ",
            h("code", { class: "kind" }, failure.kind)),
        h("p", { class: "msg" }, failure.msg),
        details.length === 0 ? null : h("ul", { class: "details" }, details.map(([name, value]) => h("li", {}, h("code", {}, name), ": ", String(value)))));
}

/**
 * A column header that orders the table. `aria-sort` says the current order; the button says what pressing
 * it does, and carries a focus key so it keeps the focus when the table is drawn again.
 */
export function sortHeader(label: string, column: string, current: { column: string; order: "asc" | "desc" }, onSort: (column: string) => void): HTMLTableCellElement {
    const active = current.column === column;
    const sort = active ? (current.order === "asc" ? "ascending" : "descending") : null;
    return h("th", { scope: "col", "aria-sort": sort },
        h("button", { type: "button", class: "sort", "data-focus": `sort-${column}`, onclick: () => onSort(column) },
            label, h("span", { class: "arrow", "aria-hidden": "true" }, active ? (current.order === "asc" ? "▲" : "▼") : "↕")));
}

/** A block of JSON, scrollable and reachable by keyboard. */
export function jsonBlock(label: string, text: string): HTMLElement {
    return h("pre", { class: "json", tabindex: 0, role: "region", "aria-label": label }, text);
}
