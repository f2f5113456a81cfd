namespace Orchestrator.Infrastructure.Sync;

/// <summary>The upstream refused the token or cannot be reached: the whole run ends with <see cref="Stop"/>.</summary>
public sealed class SyncStoppedException(SyncStop stop, string message, Exception? inner = null) : Exception(message, inner)
{
    public SyncStop Stop { get; } = stop;
}

/// <summary>A request failed for good, or its document is not what the published API serves.</summary>
public sealed class UpstreamException(string message) : Exception(message);
