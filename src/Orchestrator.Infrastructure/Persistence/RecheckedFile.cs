namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// Whether the database file is there, looked at once per <see cref="Recheck"/> while it is: the system call on
/// every open was 4-5% of a one-job request (docs/performance.md), and a file taken away is still noticed within
/// that much time. A missing file is looked at again on every call, so its return is noticed at once.
/// </summary>
internal sealed class RecheckedFile(string path)
{
    public static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(20);

    // Environment.TickCount64 before which the file need not be looked at again; only a present file sets it.
    private long _nextLook;

    public string Path { get; } = path;

    public bool Exists()
    {
        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _nextLook))
            return true;
        if (!File.Exists(Path))
            return false;
        Volatile.Write(ref _nextLook, now + (long)Recheck.TotalMilliseconds);
        return true;
    }
}
