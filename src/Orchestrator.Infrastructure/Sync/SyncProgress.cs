namespace Orchestrator.Infrastructure.Sync;

/// <summary>The live counts of a run, read by the verb's progress display while the run goes on.</summary>
public sealed class SyncProgress
{
    private int _new;
    private int _updated;
    private int _unchanged;
    private int _skipped;
    private int _failed;
    private long _total;
    private long _planned;

    public int New => Volatile.Read(ref _new);

    public int Updated => Volatile.Read(ref _updated);

    public int Unchanged => Volatile.Read(ref _unchanged);

    public int Skipped => Volatile.Read(ref _skipped);

    public int Failed => Volatile.Read(ref _failed);

    public int Done => New + Updated + Unchanged + Skipped + Failed;

    /// <summary>Jobs this run expects to look at: what it holds unfinished plus the upstream's total, until the listing stops early.</summary>
    public long Total => Math.Max(Volatile.Read(ref _total), Done);

    internal void AddTotal(long jobs) => Interlocked.Add(ref _total, jobs);

    /// <summary>One more job this run will count (queued for reading, or found unchanged in a listing).</summary>
    internal void Plan() => Interlocked.Increment(ref _planned);

    /// <summary>The listing stopped early: the jobs planned so far are all there will be.</summary>
    internal void Settle() => Volatile.Write(ref _total, Volatile.Read(ref _planned));

    internal void Count(SyncOutcome outcome)
    {
        switch (outcome)
        {
            case SyncOutcome.New: Interlocked.Increment(ref _new); break;
            case SyncOutcome.Updated: Interlocked.Increment(ref _updated); break;
            case SyncOutcome.Unchanged: Interlocked.Increment(ref _unchanged); break;
            case SyncOutcome.Skipped: Interlocked.Increment(ref _skipped); break;
            default: Interlocked.Increment(ref _failed); break;
        }
    }
}

internal enum SyncOutcome
{
    New,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}

/// <summary>Why a run ended before its end, if it did.</summary>
public enum SyncStop
{
    None,

    /// <summary>401/403: the token was refused (exit 3).</summary>
    Refused,

    /// <summary>The upstream could not be reached (exit 4).</summary>
    Unreachable,

    /// <summary>The listing itself failed (a page kept failing, or was malformed), or the mirror's database did (exit 5).</summary>
    Failed,
}

/// <summary>The outcome of one run.</summary>
public sealed record SyncSummary(
    int New, int Updated, int Unchanged, int Skipped, int Failed, int Pruned, TimeSpan Elapsed, SyncStop Stop, string? StopReason, bool Interrupted)
{
    /// <summary>Requests the upstream answered 304 Not Modified, to an ETag kept in this process or stored by an earlier one.</summary>
    public int Revalidated { get; init; }

    /// <summary>Requests made of the upstream, retries included.</summary>
    public int Requests { get; init; }

    public bool WroteNothing => New == 0 && Updated == 0 && Pruned == 0;

    /// <summary>0 done, 3 refused, 4 unreachable, 5 finished with failed jobs.</summary>
    public int ExitCode => Stop switch
    {
        SyncStop.Refused => 3,
        SyncStop.Unreachable => 4,
        SyncStop.Failed => 5,
        _ => Failed > 0 ? 5 : 0,
    };
}
