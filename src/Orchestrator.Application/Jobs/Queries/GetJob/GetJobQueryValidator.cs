using FluentValidation;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJob;

public sealed class GetJobQueryValidator : AbstractValidator<GetJobQuery>
{
    public GetJobQueryValidator() => RuleFor(q => q.JobId).MustBeJobId();
}
