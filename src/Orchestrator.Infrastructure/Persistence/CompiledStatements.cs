using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Infrastructure.Persistence;

/// <summary>
/// The statements whose shape never changes and that most requests send, compiled once with EF Core's own
/// <c>EF.CompileAsyncQuery</c> so that a request binds its values instead of having its LINQ looked up again
/// (docs/performance.md, "Plain LINQ, end to end"). Each expression is public so the SQL tests print it.
/// </summary>
public static class CompiledStatements
{
    // The ids travel as one JSON array parameter (the contexts' collection mode): one SQL text for every page size.
    public static readonly Expression<Func<OrchestratorDbContext, List<long>, IQueryable<NodeStateCount>>> NodeStateCounts =
        (db, jobIds) => db.JobNodes.AsNoTracking()
            .Where(n => jobIds.Contains(n.JobId))
            .GroupBy(n => new { n.JobId, n.State })
            .Select(g => new NodeStateCount(g.Key.JobId, g.Key.State, g.Count()));

    public static readonly Expression<Func<OrchestratorDbContext, List<long>, IQueryable<JobStatus>>> StatusHistories =
        (db, jobIds) => db.JobStatuses.AsNoTracking()
            .Where(s => jobIds.Contains(s.JobId))
            .OrderBy(s => s.JobId).ThenBy(s => s.EnterTime).ThenBy(s => s.Id);

    public static readonly Expression<Func<OrchestratorDbContext, IQueryable<long>>> Version =
        db => db.DataVersions.Where(v => v.Id == DataVersion.RowId).Select(v => v.Version);

    private static readonly PerModel<Func<OrchestratorDbContext, List<long>, IAsyncEnumerable<NodeStateCount>>> CompiledNodeStateCounts =
        new(() => EF.CompileAsyncQuery(NodeStateCounts));

    private static readonly PerModel<Func<OrchestratorDbContext, List<long>, IAsyncEnumerable<JobStatus>>> CompiledStatusHistories =
        new(() => EF.CompileAsyncQuery(StatusHistories));

    private static readonly PerModel<Func<OrchestratorDbContext, IAsyncEnumerable<long>>> CompiledVersion =
        new(() => EF.CompileAsyncQuery(Version));

    public static IAsyncEnumerable<NodeStateCount> ReadNodeStateCounts(OrchestratorDbContext db, List<long> jobIds) =>
        CompiledNodeStateCounts.For(db)(db, jobIds);

    public static IAsyncEnumerable<JobStatus> ReadStatusHistories(OrchestratorDbContext db, List<long> jobIds) =>
        CompiledStatusHistories.For(db)(db, jobIds);

    public static IAsyncEnumerable<long> ReadVersion(OrchestratorDbContext db) => CompiledVersion.For(db)(db);

    /// <summary>
    /// One compiled query per EF Core model: EF Core refuses to run a compiled query against another model than
    /// its first, and a process holds several (each provider's, and contexts whose services differ).
    /// </summary>
    private sealed class PerModel<TDelegate>(Func<TDelegate> compile)
        where TDelegate : class
    {
        private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = [];

        public TDelegate For(DbContext context) => _byModel.GetValue(context.Model, _ => compile());
    }
}
