using Microsoft.EntityFrameworkCore;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure.Seeding;

/// <summary>
/// Fills the database with realistic, deterministic demo jobs (see <see cref="DemoJobFactory"/>), in one
/// transaction, refusing to touch a database that already holds jobs unless asked to replace them.
/// </summary>
public sealed class DemoDataSeeder(OrchestratorDbContext db)
{
    public async Task<SeedResult> SeedAsync(SeedOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Jobs);

        return await JobWriter.RunAsync(db, (writer, token) => SeedAsync(writer, options, token), r => !r.Refused, ct);
    }

    private async Task<SeedResult> SeedAsync(JobWriter writer, SeedOptions options, CancellationToken ct)
    {
        if (options.Replace)
            await writer.DeleteAsync(null, ct);
        else if (await db.Jobs.AnyAsync(ct))
            return SeedResult.Refuse("The database already holds jobs; seed with Replace to delete them first.");

        var factory = new DemoJobFactory(options.Seed, options.Jobs, options.Epoch ?? SeedOptions.DefaultEpoch);
        for (var id = 1L; id <= options.Jobs; id++)
            await writer.AddAsync(factory.Create(id), ct);
        return new SeedResult(writer.Jobs, writer.Nodes, writer.Events);
    }
}
