using Mediator;
using Orchestrator.Application.Common.Errors;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Application.Jobs.Common;

namespace Orchestrator.Application.Jobs.Queries.GetJob;

/// <summary><c>GET /orchestrator/v1/jobs/{job-id}</c>: one job with its state history and node counts.</summary>
public sealed record GetJobQuery(long JobId) : IQuery<JobDto>;

public sealed class GetJobQueryHandler(IOrchestratorDbContext db, JobMapper mapper) : IQueryHandler<GetJobQuery, JobDto>
{
    public async ValueTask<JobDto> Handle(GetJobQuery query, CancellationToken cancellationToken)
    {
        var documents = await JobDocuments.ReadAsync(db, db.Jobs.Where(j => j.Id == query.JobId), mapper, cancellationToken);
        return documents.SingleOrDefault() ?? throw new UnknownJobException(query.JobId);
    }
}
