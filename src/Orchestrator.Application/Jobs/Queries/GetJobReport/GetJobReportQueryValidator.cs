using FluentValidation;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJobReport;

public sealed class GetJobReportQueryValidator : AbstractValidator<GetJobReportQuery>
{
    public GetJobReportQueryValidator() => RuleFor(q => q.JobId).MustBeJobId();
}
