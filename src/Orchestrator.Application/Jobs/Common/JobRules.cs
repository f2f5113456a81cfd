using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Common.Persistence;
using Orchestrator.Domain.Entities;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>Rules and checks every job-scoped query shares.</summary>
public static class JobRules
{
    public static IRuleBuilderOptions<T, long> MustBeJobId<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("must be a positive integer");

    public static IRuleBuilderOptions<T, int?> MustBePageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.GreaterThanOrEqualTo(0).WithMessage("must be a non-negative integer");

    /// <summary>Throws <see cref="UnknownJobException"/> (404) unless the job exists.</summary>
    public static async Task EnsureExistsAsync(IOrchestratorDbContext db, long jobId, CancellationToken cancellationToken)
    {
        var context = db.Context();
        if (!await Exists.For(context)(context, jobId, cancellationToken))
            throw new UnknownJobException(jobId);
    }

    private static readonly CompiledQuery<Func<DbContext, long, CancellationToken, Task<bool>>> Exists = new(() => EF.CompileAsyncQuery(
        (DbContext db, long jobId, CancellationToken _) => db.Set<Job>().Any(j => j.Id == jobId)));
}
