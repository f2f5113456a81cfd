namespace Orchestrator.Infrastructure.Persistence;

/// <summary>An upstream document's ETag for a later <c>sync</c>; writing it changes no job, so not the <see cref="DataVersion"/>.</summary>
public sealed class SyncETag
{
    /// <summary>SHA-256 of <see cref="Url"/>, a short key.</summary>
    public required byte[] UrlHash { get; set; }

    public required string Url { get; set; }

    public required string ETag { get; set; }

    /// <summary>The job whose document this is; null for a <c>/jobs</c> listing page.</summary>
    public long? JobId { get; set; }

    /// <summary>For a job's document, the fingerprint of the job it made; for a listing page, the page as read.</summary>
    public required string VouchesFor { get; set; }

    public DateTime SeenAt { get; set; }
}
