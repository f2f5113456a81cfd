namespace Orchestrator.Infrastructure.Sync;

/// <summary>The live counts of a run, read by the verb's progress display while the run goes on.</summary>
public sealed class SyncProgress
{
    private readonly int[] _counts = new int[Enum.GetValues<SyncOutcome>().Length];
    private long _total;
    private long _planned;

    public int New => Of(SyncOutcome.New);

    public int Updated => Of(SyncOutcome.Updated);

    public int Unchanged => Of(SyncOutcome.Unchanged);

    public int Skipped => Of(SyncOutcome.Skipped);

    public int Failed => Of(SyncOutcome.Failed);

    public int Done => New + Updated + Unchanged + Skipped + Failed;

    /// <summary>What the mirror holds unfinished plus the upstream's total, until the listing stops early.</summary>
    public long Total => Math.Max(Volatile.Read(ref _total), Done);

    internal void AddTotal(long jobs) => Interlocked.Add(ref _total, jobs);

    /// <summary>One more job this run will count (queued for reading, or found unchanged in a listing).</summary>
    internal void Plan() => Interlocked.Increment(ref _planned);

    /// <summary>The listing stopped early: the jobs planned so far are all there will be.</summary>
    internal void Settle() => Volatile.Write(ref _total, Volatile.Read(ref _planned));

    internal void Count(SyncOutcome outcome) => Interlocked.Increment(ref _counts[(int)outcome]);

    private int Of(SyncOutcome outcome) => Volatile.Read(ref _counts[(int)outcome]);
}

internal enum SyncOutcome
{
    New,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}

/// <summary>Why a run ended early: the token refused, the upstream unreachable, or the listing or the mirror's database failed.</summary>
public enum SyncStop
{
    None,
    Refused,
    Unreachable,
    Failed,
}

public sealed record SyncSummary(
    int New, int Updated, int Unchanged, int Skipped, int Failed, int Pruned, TimeSpan Elapsed, SyncStop Stop, string? StopReason, bool Interrupted)
{
    /// <summary>Requests the upstream answered 304 Not Modified.</summary>
    public int Revalidated { get; init; }

    /// <summary>Requests made of the upstream, retries included.</summary>
    public int Requests { get; init; }

    public bool WroteNothing => New == 0 && Updated == 0 && Pruned == 0;

    public int ExitCode => Stop switch
    {
        SyncStop.Refused => 3,
        SyncStop.Unreachable => 4,
        SyncStop.Failed => 5,
        _ => Failed > 0 ? 5 : 0,
    };
}
