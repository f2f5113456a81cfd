using FluentValidation;
using Mediator;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJob;

/// <summary><c>GET /orchestrator/v1/jobs/{job-id}</c>: one job with its state history and node counts.</summary>
public sealed record GetJobQuery(long JobId) : IQuery<JobDto>;

public sealed class GetJobQueryHandler(IOrchestratorDbContext db, IJobLinks links) : IQueryHandler<GetJobQuery, JobDto>
{
    public async ValueTask<JobDto> Handle(GetJobQuery query, CancellationToken cancellationToken)
    {
        return await JobDocuments.ReadOneAsync(db, query.JobId, links, cancellationToken)
            ?? throw new UnknownJobException(query.JobId);
    }
}

public sealed class GetJobQueryValidator : AbstractValidator<GetJobQuery>
{
    public GetJobQueryValidator() => RuleFor(q => q.JobId).MustBeJobId();
}
