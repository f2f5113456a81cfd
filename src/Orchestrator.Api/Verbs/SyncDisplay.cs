using System.Diagnostics;
using System.Globalization;
using Orchestrator.Infrastructure.Sync;

namespace Orchestrator.Api.Verbs;

/// <summary>A progress bar on a terminal, otherwise a line a minute; problems on standard error; a summary per run.</summary>
internal sealed class SyncDisplay(TextWriter output, TextWriter error, bool terminal)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private bool _barShown;

    public void Problem(string message)
    {
        lock (_lock)
        {
            ClearBar();
            error.WriteLine(message);
        }
    }

    /// <summary>Runs the synchronizer once, showing its progress, then its summary.</summary>
    public async Task<SyncSummary> RunOnceAsync(JobSynchronizer synchronizer, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        var run = synchronizer.RunOnceAsync(stopping);
        using (var timer = new PeriodicTimer(terminal ? TerminalInterval : LogInterval))
        {
            while (await Task.WhenAny(run, timer.WaitForNextTickAsync().AsTask()) != run)
                Show(synchronizer.Progress, clock.Elapsed);
        }
        var summary = await run;
        await SummaryAsync(summary);
        return summary;
    }

    public async Task SummaryAsync(SyncSummary summary)
    {
        var seconds = summary.Elapsed.TotalSeconds;
        var written = summary.New + summary.Updated;
        var pruned = summary.Pruned > 0 ? string.Create(CultureInfo.InvariantCulture, $", {summary.Pruned} pruned") : "";
        var rate = written > 0 && seconds > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({written / seconds:0} jobs/s written)") : "";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{summary.New} new, {summary.Updated} updated, {summary.Unchanged} unchanged, {summary.Skipped} skipped, {summary.Failed} failed{pruned} in {seconds:0.0} s{rate}.");
        lock (_lock)
        {
            ClearBar();
            output.WriteLine(line);
            if (summary.Stop == SyncStop.None && summary.WroteNothing && summary.Failed == 0)
                output.WriteLine("Nothing new upstream: the mirror was not written to.");
            if (summary.Revalidated > 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Revalidated {summary.Revalidated} of {summary.Requests} upstream requests with If-None-Match: 304 Not Modified, not downloaded again."));
            if (summary.Interrupted)
                output.WriteLine("Stopped on request after the jobs in hand.");
            if (summary.StopReason is not null)
                error.WriteLine($"Sync stopped: {summary.StopReason}");
        }
        await output.FlushAsync();
    }

    private void Show(SyncProgress progress, TimeSpan elapsed)
    {
        var done = progress.Done;
        var total = progress.Total;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var left = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate) : (TimeSpan?)null;
        var leftText = left is { } l ? $"{l:hh\\:mm\\:ss} left" : "";
        lock (_lock)
        {
            if (terminal)
            {
                var filled = total > 0 ? (int)(BarWidth * Math.Min(1, (double)done / total)) : 0;
                output.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} jobs  {rate:0.0} jobs/s  {leftText}   "));
                output.Flush();
                _barShown = true;
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} sync: {done}/{total} jobs, {rate:0.0} jobs/s, {progress.New} new, {progress.Updated} updated, {progress.Failed} failed{(leftText.Length > 0 ? ", " + leftText : "")}"));
                output.Flush();
            }
        }
    }

    private void ClearBar()
    {
        if (!_barShown)
            return;
        output.Write("\r" + new string(' ', BarWidth + 60) + "\r");
        _barShown = false;
    }
}
