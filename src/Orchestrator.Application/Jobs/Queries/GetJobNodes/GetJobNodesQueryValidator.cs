using FluentValidation;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJobNodes;

public sealed class GetJobNodesQueryValidator : AbstractValidator<GetJobNodesQuery>
{
    public GetJobNodesQueryValidator()
    {
        RuleFor(q => q.JobId).MustBeJobId();
        RuleFor(q => q.Limit).MustBePageSize();
        RuleFor(q => q.Offset).MustBePageSize();
    }
}
