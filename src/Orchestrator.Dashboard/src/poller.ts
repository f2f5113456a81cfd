import { classify, type Failure } from "./api";

/** What a poller reports to the page around it. */
export interface PollHost {
    /** A transient failure (503, network): show a banner; `retry` runs the poller at once. */
    transient(poller: Poller, failure: Failure, retryInMs: number, retry: () => void): void;
    /** A 401 or 403: ask for a token, then call `retry`. */
    unauthorized(poller: Poller, failure: Failure, retry: () => void): void;
    /** The poller succeeded (again): its banner, if any, can go. */
    recovered(poller: Poller): void;
}

export const maxBackoffMs = 60_000;

/** 2 s, 4 s, 8 s ... up to a minute, after the n-th failure in a row. */
export function backoff(failures: number): number {
    return Math.min(maxBackoffMs, 1000 * 2 ** Math.min(failures, 16));
}

/**
 * Runs `task` now and then every `intervalMs` while the tab is visible (a hidden tab asks nothing; it catches
 * up as soon as it is shown again). The task returns false when there is nothing more to wait for. Transient
 * failures retry with backoff; 401/403 wait for a token; any other failure goes to `failed` and stops.
 */
export class Poller {
    private timer: ReturnType<typeof setTimeout> | undefined;
    private failures = 0;
    private waitingToBeShown = false;
    private running = false;
    private again = false;
    private stopped = false;
    private readonly controller = new AbortController();

    constructor(
        private readonly task: (signal: AbortSignal) => Promise<boolean>,
        private readonly intervalMs: number,
        private readonly host: PollHost,
        private readonly failed: (failure: Failure) => void) {
        document.addEventListener("visibilitychange", this.onVisibilityChange);
    }

    get active(): boolean {
        return !this.stopped;
    }

    start(): void {
        void this.run();
    }

    /** Runs again now (after a change the user made), or as soon as the run under way ends. */
    now(): void {
        if (this.stopped)
            return;
        if (this.running) {
            this.again = true;
            return;
        }
        clearTimeout(this.timer);
        void this.run();
    }

    stop(): void {
        this.stopped = true;
        clearTimeout(this.timer);
        document.removeEventListener("visibilitychange", this.onVisibilityChange);
        this.host.recovered(this);
    }

    /** Stops and cancels a request in flight (the page is going away). */
    dispose(): void {
        this.stop();
        this.controller.abort();
    }

    private readonly onVisibilityChange = (): void => {
        if (!document.hidden && this.waitingToBeShown)
            this.now();
    };

    private async run(): Promise<void> {
        if (this.stopped || this.running)
            return;
        if (document.hidden) {
            this.waitingToBeShown = true;
            return;
        }
        this.waitingToBeShown = false;
        this.running = true;
        this.again = false;
        let delay = this.intervalMs;
        try {
            const more = await this.task(this.controller.signal);
            this.failures = 0;
            this.host.recovered(this);
            if (!more) {
                this.stop();
                return;
            }
        } catch (error) {
            const failure = classify(error);
            if (failure === null || this.stopped)
                return;
            if (failure.type === "transient") {
                this.failures++;
                delay = backoff(this.failures);
                this.host.transient(this, failure, delay, () => this.now());
            } else if (failure.type === "auth") {
                this.host.unauthorized(this, failure, () => this.now());
                return;
            } else {
                this.stop();
                this.failed(failure);
                return;
            }
        } finally {
            this.running = false;
        }
        if (!this.stopped)
            this.timer = setTimeout(() => void this.run(), this.again ? 0 : delay);
    }
}
