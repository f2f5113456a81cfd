using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure.Import;

/// <summary>
/// Loads an import file (docs/import-format.md) all or nothing: the whole file is checked first, and only a file
/// without problems replaces the jobs it names, in one transaction.
/// </summary>
public sealed class JobImporter(OrchestratorDbContext db, ImportLimits? limits = null)
{
    private const int IdsPerQuery = 500;

    private readonly ImportLimits _limits = limits ?? new ImportLimits();

    public async Task<ImportResult> ImportAsync(Stream utf8Json, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);

        if (await ReadAllAsync(utf8Json, _limits.FileBytes, ct) is not { } file)
            return ImportResult.Failed([ImportReader.Line("$", $"the file is larger than {_limits.FileBytes / (1024 * 1024)} MiB (Import:MaxFileMb)")]);

        var reader = new ImportReader(_limits);
        try
        {
            using var document = JsonDocument.Parse(file, new JsonDocumentOptions { MaxDepth = _limits.Depth });
            reader.Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            return ImportResult.Failed([ImportReader.Line(ex.Path ?? "$", $"not valid JSON: {ex.Message}")]);
        }

        return await ImportAsync(reader, ct);
    }

    /// <summary>The whole input without a UTF-8 byte order mark, or null past <paramref name="limit"/> bytes.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadAllAsync(Stream input, long limit, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }

        var file = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        return file.Span.StartsWith("\uFEFF"u8) ? file[3..] : file;
    }

    /// <summary>Writes what a reader has read (the sync verb reads each job itself).</summary>
    internal Task<ImportResult> ImportAsync(ImportReader reader, CancellationToken ct) =>
        JobWriter.RunAsync(db, (writer, token) => WriteAsync(writer, reader, token), r => r.Succeeded, ct);

    private async Task<ImportResult> WriteAsync(JobWriter writer, ImportReader reader, CancellationToken ct)
    {
        // Checked inside the transaction so that no other import can take an id between check and insert.
        var clashes = await FindEventIdClashesAsync(reader, ct);
        if (reader.ProblemCount + clashes.Count > 0)
            return ImportResult.Failed(reader.Problems.Concat(clashes).Take(_limits.Problems).ToList(), reader.ProblemCount + clashes.Count);

        await writer.DeleteAsync(reader.Jobs.Select(j => j.Id).ToArray(), ct);
        foreach (var job in reader.Jobs)
            await writer.AddAsync(job, ct);
        return ImportResult.Loaded(writer.Jobs, writer.Nodes, writer.Events);
    }

    /// <summary>
    /// Event ids are unique across jobs: one the database holds for a job this file does not replace collides;
    /// one held by a job the file replaces is freed by the delete.
    /// </summary>
    private async Task<List<string>> FindEventIdClashesAsync(ImportReader reader, CancellationToken ct)
    {
        var problems = new List<string>();
        var replacedJobs = reader.Jobs.Select(j => j.Id).ToHashSet();
        foreach (var chunk in reader.EventIds.Chunk(IdsPerQuery))
        {
            var ids = chunk.Select(e => e.Id).ToArray();
            var owners = await db.NodeEvents.AsNoTracking()
                .Where(e => ids.Contains(e.Id))
                .Select(e => new { e.Id, e.JobId })
                .ToDictionaryAsync(e => e.Id, e => e.JobId, ct);
            foreach (var eventId in chunk)
            {
                if (owners.TryGetValue(eventId.Id, out var owner) && owner != eventId.JobId && !replacedJobs.Contains(owner))
                    problems.Add($"{eventId.Path}: event id {eventId.Id} already belongs to job {owner}");
            }
        }
        return problems;
    }
}
