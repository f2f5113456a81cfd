const units: [number, string][] = [
    [365 * 24 * 3600, "year"], [30 * 24 * 3600, "month"], [24 * 3600, "day"], [3600, "hour"], [60, "minute"], [1, "second"],
];

/** "3 minutes ago", "in 2 hours", "just now". */
export function relative(iso: string, now: number = Date.now()): string {
    const seconds = Math.round((now - Date.parse(iso)) / 1000);
    const magnitude = Math.abs(seconds);
    if (magnitude < 5)
        return "just now";
    for (const [size, unit] of units) {
        if (magnitude >= size) {
            const count = Math.floor(magnitude / size);
            const phrase = `${count} ${unit}${count === 1 ? "" : "s"}`;
            return seconds >= 0 ? `${phrase} ago` : `in ${phrase}`;
        }
    }
    return "just now";
}

/** "2016-05-20 16:45:31 UTC": the exact instant, always in UTC. */
export function exactUtc(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
}

/** "16:45:31": the UTC time of day. */
export function clockUtc(iso: string): string {
    return exactUtc(iso).slice(11, 19);
}

/** "4 s", "2 min 5 s", "1 h 3 min", "2 d 4 h". */
export function duration(seconds: number): string {
    const whole = Math.max(0, Math.round(seconds));
    if (whole < 60)
        return `${whole} s`;
    if (whole < 3600)
        return `${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ""}`;
    if (whole < 86400)
        return `${Math.floor(whole / 3600)} h${whole % 3600 >= 60 ? ` ${Math.floor((whole % 3600) / 60)} min` : ""}`;
    return `${Math.floor(whole / 86400)} d${whole % 86400 >= 3600 ? ` ${Math.floor((whole % 86400) / 3600)} h` : ""}`;
}

export function json(value: unknown): string {
    return JSON.stringify(value, null, 2) ?? "null";
}

/** The owner's login when the stored owner document has one, else the document itself. */
export function login(owner: unknown): string {
    if (typeof owner === "object" && owner !== null && typeof (owner as { login?: unknown }).login === "string")
        return (owner as { login: string }).login;
    return owner === null || owner === undefined ? "" : JSON.stringify(owner);
}

/** A datetime-local value ("2016-05-20T16:45") read as UTC, as an ISO instant; "" stays "". */
export function localInputToIso(value: string): string {
    if (value === "")
        return "";
    const date = new Date(`${value}${value.length === 16 ? ":00" : ""}Z`);
    return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.000Z$/, "Z");
}

/** An ISO instant as a datetime-local value in UTC. */
export function isoToLocalInput(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 19).replace(/:00$/, "");
}
