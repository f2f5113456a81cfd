using Orchestrator.Api.Verbs;
using Orchestrator.Infrastructure.Sync;

namespace Orchestrator.UnitTests.Api.Verbs;

public sealed class SyncDisplayTests
{
    [Test]
    public async Task The_summary_gives_every_count_and_the_time_and_says_when_nothing_was_written()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var display = new SyncDisplay(output, error, terminal: false);

        await display.SummaryAsync(new SyncSummary(0, 0, 503, 1, 0, 0, TimeSpan.FromSeconds(1.04), SyncStop.None, null, Interrupted: false));
        await display.SummaryAsync(new SyncSummary(12, 3, 85, 0, 2, 1, TimeSpan.FromSeconds(3), SyncStop.Refused, "GET /orchestrator/v1/jobs: refused (401)", Interrupted: false));

        Assert.That(output.ToString().ReplaceLineEndings("\n"), Is.EqualTo(
            "0 new, 0 updated, 503 unchanged, 1 skipped, 0 failed in 1.0 s.\n"
            + "Nothing new upstream: the mirror was not written to.\n"
            + "12 new, 3 updated, 85 unchanged, 0 skipped, 2 failed, 1 pruned in 3.0 s (5 jobs/s written).\n"));
        Assert.That(error.ToString().ReplaceLineEndings("\n"), Is.EqualTo("Sync stopped: GET /orchestrator/v1/jobs: refused (401)\n"));
    }

    [TestCase(SyncStop.None, 0, 0)]
    [TestCase(SyncStop.None, 2, 5)]
    [TestCase(SyncStop.Refused, 0, 3)]
    [TestCase(SyncStop.Unreachable, 1, 4)]
    [TestCase(SyncStop.Failed, 0, 5)]
    public void Exit_codes_follow_how_the_run_ended(SyncStop stop, int failed, int exitCode) =>
        Assert.That(new SyncSummary(1, 0, 0, 0, failed, 0, TimeSpan.Zero, stop, null, false).ExitCode, Is.EqualTo(exitCode));
}
