using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Domain.Entities;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure.Seeding;

/// <summary>
/// Fills the database with deterministic demo jobs (<see cref="DemoJobFactory"/>) in one transaction, through
/// <see cref="SqliteBulkJobWriter"/> on SQLite and EF Core elsewhere. A database that holds jobs is refused
/// unless <see cref="SeedOptions.Replace"/> asks to delete them.
/// </summary>
public sealed class DemoDataSeeder(OrchestratorDbContext db)
{
    public Task<SeedResult> SeedAsync(SeedOptions options, CancellationToken ct) =>
        SeedAsync(options, bulk: db.Database.IsSqlite(), ct);

    internal async Task<SeedResult> SeedAsync(SeedOptions options, bool bulk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Jobs);

        return bulk
            ? await SqliteBulkJobWriter.RunBulkAsync(db, (writer, token) => SeedAsync(writer, options, token), r => !r.Refused, ct)
            : await JobWriter.RunAsync(db, (writer, token) => SeedAsync(writer, options, token), r => !r.Refused, ct);
    }

    private async Task<SeedResult> SeedAsync(JobWriter writer, SeedOptions options, CancellationToken ct)
    {
        if (options.Replace)
            await writer.DeleteAsync(null, ct);
        else if (await db.Jobs.AnyAsync(ct))
            return SeedResult.Refuse("The database already holds jobs; seed with Replace to delete them first.");

        // Generated on one thread, written on another.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(512) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                var factory = new DemoJobFactory(options);
                for (var id = 1L; id <= options.Jobs; id++)
                    await jobs.Writer.WriteAsync(factory.Create(id), stop.Token);
                jobs.Writer.Complete();
            }
            catch (Exception e)
            {
                jobs.Writer.Complete(e);
            }
        }, stop.Token);

        try
        {
            await foreach (var job in jobs.Reader.ReadAllAsync(ct))
                await writer.AddAsync(job, ct);
        }
        finally
        {
            // A failed write must not leave the generator waiting for room in the channel.
            await stop.CancelAsync();
        }
        await producer;
        return new SeedResult(writer.Jobs, writer.Nodes, writer.Events);
    }
}
