using FluentValidation;
using Orchestrator.Application.Jobs.Common;
using Orchestrator.Domain.Enums;

namespace Orchestrator.Application.Jobs.Queries.ListJobs;

public sealed class ListJobsQueryValidator : AbstractValidator<ListJobsQuery>
{
    public const int MaxTaskLength = 255;

    /// <summary>The length of the owner login and environment columns.</summary>
    public const int MaxNameLength = 255;

    public ListJobsQueryValidator()
    {
        RuleFor(q => q.Limit).MustBePageSize();
        RuleFor(q => q.Offset).MustBePageSize();
        RuleFor(q => q.Task)
            .Null().When(q => q.Type == JobType.Deploy)
            .WithMessage("cannot be combined with type=deploy");
        RuleFor(q => q.Task)
            .MaximumLength(MaxTaskLength).WithMessage($"must be at most {MaxTaskLength} characters");
        RuleFor(q => q.Owner)
            .MaximumLength(MaxNameLength).WithMessage($"must be at most {MaxNameLength} characters");
        RuleFor(q => q.Environment)
            .MaximumLength(MaxNameLength).WithMessage($"must be at most {MaxNameLength} characters");
        RuleFor(q => q.MaxFinishTimestamp)
            .GreaterThanOrEqualTo(q => q.MinFinishTimestamp)
            .When(q => q.MinFinishTimestamp is not null && q.MaxFinishTimestamp is not null)
            .WithMessage("must not be earlier than min_finish_timestamp");
    }
}
