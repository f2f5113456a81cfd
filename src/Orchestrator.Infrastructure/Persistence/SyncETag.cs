namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// An upstream document's ETag, kept across processes so that a later <c>sync</c> can send <c>If-None-Match</c>.
/// Not a domain entity: writing it changes no job and does not move the <see cref="DataVersion"/>.
/// </summary>
public sealed class SyncETag
{
    /// <summary>SHA-256 of <see cref="Url"/>: a short key whatever the URL's length.</summary>
    public required byte[] UrlHash { get; set; }

    /// <summary>The upstream's API root plus the path and query asked for.</summary>
    public required string Url { get; set; }

    public required string ETag { get; set; }

    /// <summary>The job whose document this is; null for a <c>/jobs</c> listing page.</summary>
    public long? JobId { get; set; }

    /// <summary>
    /// What the ETag vouches for: for a job's document, the fingerprint of the job its documents made when last
    /// read; for a listing page, the page as the sync reads it (ids, states, timestamps and the total).
    /// </summary>
    public required string VouchesFor { get; set; }

    public DateTime SeenAt { get; set; }
}
