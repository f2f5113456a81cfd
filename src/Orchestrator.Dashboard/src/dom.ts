type Attribute = string | number | boolean | null | undefined | ((event: Event) => void);
export type Child = Node | string | number | null | undefined | false | Child[];

/**
 * Creates an element. Text always goes in as text nodes, never as markup, so data from the API cannot inject
 * HTML. `on*` attributes become event listeners; `true` sets an empty attribute; false, null and undefined skip it.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
    tag: K, attributes: Record<string, Attribute> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === null || value === undefined || value === false)
            continue;
        if (typeof value === "function")
            element.addEventListener(name.slice(2).toLowerCase(), value);
        else
            element.setAttribute(name, value === true ? "" : String(value));
    }
    append(element, children);
    return element;
}

export function append(parent: Node, children: Child[]): void {
    for (const child of children) {
        if (child === null || child === undefined || child === false)
            continue;
        if (Array.isArray(child))
            append(parent, child);
        else
            parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
}

/** Replaces everything inside `parent`. */
export function fill(parent: Element, ...children: Child[]): void {
    parent.replaceChildren();
    append(parent, children);
}

/** Text for screen readers only. */
export function hidden(text: string): HTMLSpanElement {
    return h("span", { class: "visually-hidden" }, text);
}

/**
 * Runs `render`, then puts the keyboard focus back on the element with the same `data-focus` key, so a
 * re-rendered table does not throw away the place of someone working with the keyboard.
 */
export function keepingFocus(render: () => void): void {
    const active = document.activeElement;
    const key = active instanceof HTMLElement ? active.dataset.focus : undefined;
    render();
    if (key !== undefined && document.activeElement !== active)
        document.querySelector<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`)?.focus();
}
