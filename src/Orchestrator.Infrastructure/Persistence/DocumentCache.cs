using Microsoft.Data.Sqlite;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>A whole response body as the API wrote it, with its content type.</summary>
public sealed record CachedDocument(byte[] Body, string? ContentType);

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
        if (document.Body.Length <= MaxDocumentBytes && _generation.TryReserve(document.Body.Length + key.Length * 2L, _limit))
            _generation.Documents.TryAdd(key, document);
    }
}

internal sealed class SqliteDocumentCache(
    SqliteDataVersions versions, string readOnlyConnectionString, long limitBytes, int commandTimeoutSeconds) : IDocumentCache
{
    private readonly string _file = new SqliteConnectionStringBuilder(readOnlyConnectionString).DataSource;

    public DocumentShelf? Current()
    {
        // A pooled handle would go on reading a deleted file; requests must reach SqliteFileGuard and fail instead.
        if (limitBytes <= 0 || !File.Exists(_file))
            return null;
        try
        {
            // A writer holding the lock makes the check wait like any statement, no longer (SQLite's default is 30 s).
            using var connection = new SqliteConnection(readOnlyConnectionString) { DefaultTimeout = commandTimeoutSeconds };
            connection.Open();
            return new DocumentShelf(versions.Current(connection), limitBytes);
        }
        catch (SqliteException)
        {
            return null; // the request itself will meet the fault and answer it
        }
    }
}

internal sealed class NoDocumentCache : IDocumentCache
{
    public DocumentShelf? Current() => null;
}
