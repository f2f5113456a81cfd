using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Application.Jobs.Common;

/// <summary>Rules and checks every job-scoped query shares.</summary>
public static class JobRules
{
    public const string NotNegative = "must be a non-negative integer";

    public static IRuleBuilderOptions<T, long> MustBeJobId<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("must be a positive integer");

    public static IRuleBuilderOptions<T, int?> MustBePageSize<T>(this IRuleBuilder<T, int?> rule) =>
        rule.GreaterThanOrEqualTo(0).WithMessage(NotNegative);

    public static IRuleBuilderOptions<T, int> MustBePageSize<T>(this IRuleBuilder<T, int> rule) =>
        rule.GreaterThanOrEqualTo(0).WithMessage(NotNegative);

    /// <summary>Throws <see cref="UnknownJobException"/> (404) unless the job exists.</summary>
    public static async Task EnsureExistsAsync(IOrchestratorDbContext db, long jobId, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.AnyAsync(j => j.Id == jobId, cancellationToken))
            throw new UnknownJobException(jobId);
    }
}
