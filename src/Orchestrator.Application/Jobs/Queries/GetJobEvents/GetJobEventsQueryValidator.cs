using FluentValidation;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJobEvents;

public sealed class GetJobEventsQueryValidator : AbstractValidator<GetJobEventsQuery>
{
    public GetJobEventsQueryValidator()
    {
        RuleFor(q => q.JobId).MustBeJobId();
        RuleFor(q => q.Start).GreaterThanOrEqualTo(0).WithMessage(JobRules.NotNegative);
        RuleFor(q => q.Limit).MustBePageSize();
    }
}
