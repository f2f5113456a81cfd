namespace Orchestrator.Api.Errors;

/// <summary>Too many uncached searches are running or waiting already (503 with <c>Retry-After</c>).</summary>
public sealed class DatabaseBusyException(int retryAfterSeconds) : Exception("The job database is busy")
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
