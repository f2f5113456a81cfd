namespace Orchestrator.Infrastructure.Persistence;

/// <summary>A whole 200 response as the API wrote it: body, content type and the ETag of the body.</summary>
public sealed record CachedDocument(byte[] Body, string? ContentType, string Tag);

/// <summary>
/// Whole documents reused while the database is unchanged (<c>Database:DocumentCacheMb</c>). A dashboard's
/// first page, a job it watches, its events: every poll used to run the same statements and serialize the same
/// bytes. On SQLite a document is answered again until another connection commits (see
/// <see cref="SqliteDataVersions"/>); there is nothing to reuse on SQL Server.
/// </summary>
public interface IDocumentCache
{
    /// <summary>The documents of the database as it is now, or null when none can be reused.</summary>
    DocumentShelf? Current();
}

/// <summary>The documents of one database version.</summary>
public sealed class DocumentShelf
{
    /// <summary>A bigger document is not kept: it is rarely polled, and it would crowd out many small ones.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly DataGeneration _generation;
    private readonly long _limit;

    internal DocumentShelf(DataGeneration generation, long limit) => (_generation, _limit) = (generation, limit);

    public bool TryGet(string key, out CachedDocument document) => _generation.Documents.TryGetValue(key, out document!);

    public void Add(string key, CachedDocument document)
    {
        if (document.Body.Length <= MaxDocumentBytes)
            _generation.Keep(key, document, document.Body.Length + key.Length * 2L, _limit);
    }
}

/// <summary>The request's documents, in the generation its counts use too.</summary>
internal sealed class SqliteDocumentCache(RequestDataGeneration generation, long limitBytes) : IDocumentCache
{
    public DocumentShelf? Current() =>
        limitBytes > 0 && generation.Value is { } current ? new DocumentShelf(current, limitBytes) : null;
}

internal sealed class NoDocumentCache : IDocumentCache
{
    public DocumentShelf? Current() => null;
}
